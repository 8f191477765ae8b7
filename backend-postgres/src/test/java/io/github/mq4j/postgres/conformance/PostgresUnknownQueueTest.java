package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.UnknownQueueContract;

/** {@link UnknownQueueContract} on the PostgreSQL backend. */
class PostgresUnknownQueueTest extends UnknownQueueContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
