package io.github.mq4j.testkit.realtime;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.HostileInputContract;

/** {@link HostileInputContract} on the in-memory backend in real time (opt-in, see {@link RealTimeMemoryFixture}). */
class RealTimeMemoryHostileInputTest extends HostileInputContract {
    @Override
    protected BackendFixture fixture() {
        return new RealTimeMemoryFixture();
    }
}
