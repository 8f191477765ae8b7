package io.github.mq4j.testkit.realtime;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.VisibilityAndReceiptsContract;

/** {@link VisibilityAndReceiptsContract} on the in-memory backend in real time (opt-in, see {@link RealTimeMemoryFixture}). */
class RealTimeMemoryVisibilityAndReceiptsTest extends VisibilityAndReceiptsContract {
    @Override
    protected BackendFixture fixture() {
        return new RealTimeMemoryFixture();
    }
}
