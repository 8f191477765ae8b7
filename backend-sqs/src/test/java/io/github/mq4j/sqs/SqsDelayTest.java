package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.DelayContract;

/** {@link DelayContract} on the SQS backend, against ElasticMQ. */
class SqsDelayTest extends DelayContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
