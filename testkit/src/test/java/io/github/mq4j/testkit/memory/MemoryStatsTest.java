package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.StatsContract;

/** {@link StatsContract} on the in-memory backend. */
class MemoryStatsTest extends StatsContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
