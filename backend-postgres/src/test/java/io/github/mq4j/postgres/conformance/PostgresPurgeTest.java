package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.PurgeContract;

/** {@link PurgeContract} on the PostgreSQL backend. */
class PostgresPurgeTest extends PurgeContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
