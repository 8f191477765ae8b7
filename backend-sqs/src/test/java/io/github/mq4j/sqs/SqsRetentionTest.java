package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.RetentionContract;

/** {@link RetentionContract} on the SQS backend, against ElasticMQ. */
class SqsRetentionTest extends RetentionContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
