package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.DeduplicationContract;

/** {@link DeduplicationContract} on the SQS backend, against ElasticMQ. */
class SqsDeduplicationTest extends DeduplicationContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
