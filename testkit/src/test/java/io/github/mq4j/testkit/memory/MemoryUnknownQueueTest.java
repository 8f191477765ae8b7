package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.UnknownQueueContract;

/** {@link UnknownQueueContract} on the in-memory backend. */
class MemoryUnknownQueueTest extends UnknownQueueContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
