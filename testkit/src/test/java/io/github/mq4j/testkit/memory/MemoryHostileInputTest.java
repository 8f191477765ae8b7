package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.HostileInputContract;

/** {@link HostileInputContract} on the in-memory backend. */
class MemoryHostileInputTest extends HostileInputContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
