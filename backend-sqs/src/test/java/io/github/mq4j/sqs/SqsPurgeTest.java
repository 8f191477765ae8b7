package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.PurgeContract;

/** {@link PurgeContract} on the SQS backend, against ElasticMQ. */
class SqsPurgeTest extends PurgeContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
