package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.LongPollingContract;

/** {@link LongPollingContract} on the PostgreSQL backend. */
class PostgresLongPollingTest extends LongPollingContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
