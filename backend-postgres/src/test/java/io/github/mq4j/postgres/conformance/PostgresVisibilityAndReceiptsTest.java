package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.VisibilityAndReceiptsContract;

/** {@link VisibilityAndReceiptsContract} on the PostgreSQL backend. */
class PostgresVisibilityAndReceiptsTest extends VisibilityAndReceiptsContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
