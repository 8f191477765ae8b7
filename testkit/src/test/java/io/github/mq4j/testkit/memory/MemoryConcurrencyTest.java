package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.ConcurrencyContract;

/** {@link ConcurrencyContract} on the in-memory backend. */
class MemoryConcurrencyTest extends ConcurrencyContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
