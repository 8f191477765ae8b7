package io.github.mq4j.postgres.reliability;

import io.github.mq4j.testkit.reliability.ReliabilityFixture;
import io.github.mq4j.testkit.reliability.SlowHandlerScenario;

/** {@link SlowHandlerScenario} (handlers past the visibility timeout) on the PostgreSQL backend. */
class PostgresSlowHandlerTest extends SlowHandlerScenario {
    @Override
    protected ReliabilityFixture fixture() {
        return PostgresReliabilityFixture.get();
    }
}
