package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.BatchContract;

/** {@link BatchContract} on the in-memory backend. */
class MemoryBatchTest extends BatchContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
