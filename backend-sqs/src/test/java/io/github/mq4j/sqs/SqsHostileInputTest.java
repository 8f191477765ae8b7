package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.HostileInputContract;

/** {@link HostileInputContract} on the SQS backend, against ElasticMQ. */
class SqsHostileInputTest extends HostileInputContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
