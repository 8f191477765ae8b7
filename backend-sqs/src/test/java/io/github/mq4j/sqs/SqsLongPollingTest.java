package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.LongPollingContract;

/** {@link LongPollingContract} on the SQS backend, against ElasticMQ. */
class SqsLongPollingTest extends LongPollingContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
