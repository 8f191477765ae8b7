package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.VisibilityAndReceiptsContract;

/** {@link VisibilityAndReceiptsContract} on the SQS backend, against ElasticMQ. */
class SqsVisibilityAndReceiptsTest extends VisibilityAndReceiptsContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
