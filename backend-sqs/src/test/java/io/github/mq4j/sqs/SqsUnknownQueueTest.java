package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.UnknownQueueContract;

/** {@link UnknownQueueContract} on the SQS backend, against ElasticMQ. */
class SqsUnknownQueueTest extends UnknownQueueContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
