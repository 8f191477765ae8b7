package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.SendReceiveDeleteContract;

/** {@link SendReceiveDeleteContract} on the SQS backend, against ElasticMQ. */
class SqsSendReceiveDeleteTest extends SendReceiveDeleteContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
