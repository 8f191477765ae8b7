package io.github.mq4j.testkit.realtime;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.LongPollingContract;

/** {@link LongPollingContract} on the in-memory backend in real time (opt-in, see {@link RealTimeMemoryFixture}). */
class RealTimeMemoryLongPollingTest extends LongPollingContract {
    @Override
    protected BackendFixture fixture() {
        return new RealTimeMemoryFixture();
    }
}
