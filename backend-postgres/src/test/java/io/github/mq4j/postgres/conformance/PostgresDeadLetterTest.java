package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.DeadLetterContract;

/** {@link DeadLetterContract} on the PostgreSQL backend. */
class PostgresDeadLetterTest extends DeadLetterContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
