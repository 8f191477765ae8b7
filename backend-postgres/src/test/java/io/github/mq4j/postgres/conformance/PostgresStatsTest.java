package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.StatsContract;

/** {@link StatsContract} on the PostgreSQL backend. */
class PostgresStatsTest extends StatsContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
