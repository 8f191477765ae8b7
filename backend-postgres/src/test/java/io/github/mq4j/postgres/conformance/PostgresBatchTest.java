package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.BatchContract;

/** {@link BatchContract} on the PostgreSQL backend. */
class PostgresBatchTest extends BatchContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
