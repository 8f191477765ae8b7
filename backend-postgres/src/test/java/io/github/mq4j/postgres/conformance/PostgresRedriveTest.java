package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.RedriveContract;

/** {@link RedriveContract} on the PostgreSQL backend. */
class PostgresRedriveTest extends RedriveContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
