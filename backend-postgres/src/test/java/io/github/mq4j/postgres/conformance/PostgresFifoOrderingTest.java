package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.FifoOrderingContract;

/** {@link FifoOrderingContract} on the PostgreSQL backend. */
class PostgresFifoOrderingTest extends FifoOrderingContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
