package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.DeadLetterContract;

/** {@link DeadLetterContract} on the in-memory backend. */
class MemoryDeadLetterTest extends DeadLetterContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
