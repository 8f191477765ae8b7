package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.BatchContract;

/** {@link BatchContract} on the SQS backend, against ElasticMQ. */
class SqsBatchTest extends BatchContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
