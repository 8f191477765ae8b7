package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.RedriveContract;

/** {@link RedriveContract} on the SQS backend, against ElasticMQ. */
class SqsRedriveTest extends RedriveContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
