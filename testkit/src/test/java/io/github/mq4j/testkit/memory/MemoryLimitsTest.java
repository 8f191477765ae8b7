package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.LimitsContract;

/** {@link LimitsContract} on the in-memory backend. */
class MemoryLimitsTest extends LimitsContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
