package io.github.mq4j.postgres.reliability;

import io.github.mq4j.testkit.reliability.ReliabilityFixture;
import io.github.mq4j.testkit.reliability.WorkerCrashScenario;

/** {@link WorkerCrashScenario} (a worker process killed mid-handling) on the PostgreSQL backend. */
class PostgresWorkerCrashTest extends WorkerCrashScenario {
    @Override
    protected ReliabilityFixture fixture() {
        return PostgresReliabilityFixture.get();
    }
}
