package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.FifoOrderingContract;

/** {@link FifoOrderingContract} on the SQS backend, against ElasticMQ. */
class SqsFifoOrderingTest extends FifoOrderingContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
