package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.LimitsContract;

/** {@link LimitsContract} on the PostgreSQL backend. */
class PostgresLimitsTest extends LimitsContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
