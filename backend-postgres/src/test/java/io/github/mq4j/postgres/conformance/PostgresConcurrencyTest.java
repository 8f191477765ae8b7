package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.ConcurrencyContract;

/** {@link ConcurrencyContract} on the PostgreSQL backend. */
class PostgresConcurrencyTest extends ConcurrencyContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
