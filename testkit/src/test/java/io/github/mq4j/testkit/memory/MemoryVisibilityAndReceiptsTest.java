package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.VisibilityAndReceiptsContract;

/** {@link VisibilityAndReceiptsContract} on the in-memory backend. */
class MemoryVisibilityAndReceiptsTest extends VisibilityAndReceiptsContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
