package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.FifoOrderingContract;

/** {@link FifoOrderingContract} on the in-memory backend. */
class MemoryFifoOrderingTest extends FifoOrderingContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
