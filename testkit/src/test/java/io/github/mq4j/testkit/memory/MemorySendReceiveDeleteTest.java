package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.SendReceiveDeleteContract;

/** {@link SendReceiveDeleteContract} on the in-memory backend. */
class MemorySendReceiveDeleteTest extends SendReceiveDeleteContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
