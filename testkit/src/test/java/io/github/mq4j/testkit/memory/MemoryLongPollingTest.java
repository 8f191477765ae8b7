package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.LongPollingContract;

/** {@link LongPollingContract} on the in-memory backend. */
class MemoryLongPollingTest extends LongPollingContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
