package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.DelayContract;

/** {@link DelayContract} on the in-memory backend. */
class MemoryDelayTest extends DelayContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
