package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.DeduplicationContract;

/** {@link DeduplicationContract} on the PostgreSQL backend. */
class PostgresDeduplicationTest extends DeduplicationContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
