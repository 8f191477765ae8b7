package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.ClosedClientContract;

/** {@link ClosedClientContract} on the in-memory backend. */
class MemoryClosedClientTest extends ClosedClientContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
