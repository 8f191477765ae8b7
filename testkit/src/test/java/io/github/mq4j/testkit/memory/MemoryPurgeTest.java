package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.PurgeContract;

/** {@link PurgeContract} on the in-memory backend. */
class MemoryPurgeTest extends PurgeContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
