package io.github.mq4j.testkit.memory;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.worker.WorkerContract;

/** {@link WorkerContract} on the in-memory backend. */
class MemoryWorkerTest extends WorkerContract {
    @Override
    protected BackendFixture fixture() {
        return new MemoryFixture();
    }
}
