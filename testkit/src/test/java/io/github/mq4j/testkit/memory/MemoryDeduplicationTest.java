package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.DeduplicationContract;

/** {@link DeduplicationContract} on the in-memory backend. */
class MemoryDeduplicationTest extends DeduplicationContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
