package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.RetentionContract;

/** {@link RetentionContract} on the in-memory backend. */
class MemoryRetentionTest extends RetentionContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
