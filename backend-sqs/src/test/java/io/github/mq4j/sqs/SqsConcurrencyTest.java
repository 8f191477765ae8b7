package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.ConcurrencyContract;

/** {@link ConcurrencyContract} on the SQS backend, against ElasticMQ. */
class SqsConcurrencyTest extends ConcurrencyContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
