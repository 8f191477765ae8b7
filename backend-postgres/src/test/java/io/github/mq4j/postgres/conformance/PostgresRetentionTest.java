package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.RetentionContract;

/** {@link RetentionContract} on the PostgreSQL backend. */
class PostgresRetentionTest extends RetentionContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
