package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.worker.WorkerContract;

/** {@link WorkerContract} (the worker runtime) on the PostgreSQL backend. */
class PostgresWorkerTest extends WorkerContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
