package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.StatsContract;

/** {@link StatsContract} on the SQS backend, against ElasticMQ. */
class SqsStatsTest extends StatsContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }
}
