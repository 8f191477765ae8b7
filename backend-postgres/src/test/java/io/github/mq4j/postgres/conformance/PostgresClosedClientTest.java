package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.ClosedClientContract;

/** {@link ClosedClientContract} on the PostgreSQL backend. */
class PostgresClosedClientTest extends ClosedClientContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
