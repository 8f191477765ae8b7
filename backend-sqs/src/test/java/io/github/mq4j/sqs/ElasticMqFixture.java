package io.github.mq4j.sqs;

import io.github.mq4j.QueueClient;
import io.github.mq4j.Topology;
import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.KnownGap;
import java.time.Duration;
import java.util.Map;

/**
 * Runs the conformance suite on the SQS backend against the in-JVM ElasticMQ: every client gets
 * its queues provisioned under a new name prefix, the API keeping the logical names. Time passes
 * by sleeping. Thread-safe (stateless; the server and client are per JVM).
 */
final class ElasticMqFixture implements BackendFixture {
    /** The margin added to each sleep so that a timeout of exactly the amount has certainly passed. */
    private static final Duration MARGIN = Duration.ofMillis(300);

    @Override
    public QueueClient open(Topology topology) {
        return SqsTestSupport.open(topology);
    }

    @Override
    public void advance(Duration amount) {
        try {
            Thread.sleep(amount.plus(MARGIN).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while letting time pass", e);
        }
    }

    @Override
    public Map<KnownGap, String> knownGaps() {
        return Map.of(
                KnownGap.RETENTION, "ElasticMQ 1.7.1 ignores MessageRetentionPeriod; SQS deletes expired messages itself",
                KnownGap.DEDUPLICATION_SCOPE_MESSAGE_GROUP, "ElasticMQ 1.7.1 does not honour DeduplicationScope=messageGroup",
                KnownGap.SEQUENCE_NUMBER_IN_BATCH, "ElasticMQ 1.7.1 leaves SequenceNumber empty in SendMessageBatch results",
                KnownGap.OLDEST_MESSAGE_AGE, "SQS reports the age of the oldest message only to CloudWatch, not in queue attributes");
    }
}
