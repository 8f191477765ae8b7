package io.github.mq4j.postgres.conformance;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.SendReceiveDeleteContract;

/** {@link SendReceiveDeleteContract} on the PostgreSQL backend. */
class PostgresSendReceiveDeleteTest extends SendReceiveDeleteContract {
    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }
}
