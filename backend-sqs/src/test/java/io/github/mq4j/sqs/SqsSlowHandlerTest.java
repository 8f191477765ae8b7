package io.github.mq4j.sqs;

import io.github.mq4j.testkit.reliability.ReliabilityFixture;
import io.github.mq4j.testkit.reliability.SlowHandlerScenario;

/** {@link SlowHandlerScenario} (handlers past the visibility timeout) on the SQS backend, against ElasticMQ. */
class SqsSlowHandlerTest extends SlowHandlerScenario {
    @Override
    protected ReliabilityFixture fixture() {
        return new ElasticMqFixture();
    }
}
