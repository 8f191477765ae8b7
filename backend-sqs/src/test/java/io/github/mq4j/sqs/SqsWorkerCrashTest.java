package io.github.mq4j.sqs;

import io.github.mq4j.testkit.reliability.ReliabilityFixture;
import io.github.mq4j.testkit.reliability.WorkerCrashScenario;

/** {@link WorkerCrashScenario} (a worker process killed mid-handling) on the SQS backend, against ElasticMQ. */
class SqsWorkerCrashTest extends WorkerCrashScenario {
    @Override
    protected ReliabilityFixture fixture() {
        return new ElasticMqFixture();
    }
}
