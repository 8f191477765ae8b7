package io.github.mq4j.testkit.realtime;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.RetentionContract;

/** {@link RetentionContract} on the in-memory backend in real time (opt-in, see {@link RealTimeMemoryFixture}). */
class RealTimeMemoryRetentionTest extends RetentionContract {
    @Override
    protected BackendFixture fixture() {
        return new RealTimeMemoryFixture();
    }
}
