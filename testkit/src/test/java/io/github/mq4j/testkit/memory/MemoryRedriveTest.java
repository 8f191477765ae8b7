package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.RedriveContract;

/** {@link RedriveContract} on the in-memory backend. */
class MemoryRedriveTest extends RedriveContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
