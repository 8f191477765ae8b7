package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.LimitsContract;

/** {@link LimitsContract} on the SQS backend, against ElasticMQ. */
class SqsLimitsTest extends LimitsContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
