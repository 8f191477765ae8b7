package io.github.mq4j.testkit.realtime;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.PurgeContract;

/** {@link PurgeContract} on the in-memory backend in real time (opt-in, see {@link RealTimeMemoryFixture}). */
class RealTimeMemoryPurgeTest extends PurgeContract {
    @Override
    protected BackendFixture fixture() {
        return new RealTimeMemoryFixture();
    }
}
