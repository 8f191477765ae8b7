package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.DeadLetterContract;

/** {@link DeadLetterContract} on the SQS backend, against ElasticMQ. */
class SqsDeadLetterTest extends DeadLetterContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
