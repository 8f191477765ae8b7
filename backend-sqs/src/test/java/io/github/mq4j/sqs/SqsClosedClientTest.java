package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.ClosedClientContract;

/** {@link ClosedClientContract} on the SQS backend, against ElasticMQ. */
class SqsClosedClientTest extends ClosedClientContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
