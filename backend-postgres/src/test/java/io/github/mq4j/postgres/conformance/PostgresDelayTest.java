package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.DelayContract;

/** {@link DelayContract} on the PostgreSQL backend. */
class PostgresDelayTest extends DelayContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
