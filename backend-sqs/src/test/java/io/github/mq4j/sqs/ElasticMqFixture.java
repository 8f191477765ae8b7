package io.github.mq4j.sqs;

import io.github.mq4j.QueueClient;
import io.github.mq4j.Topology;
import io.github.mq4j.testkit.KnownGap;
import io.github.mq4j.testkit.reliability.ReliabilityFixture;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Runs the conformance suite and the reliability scenarios on the SQS backend against the in-JVM
 * ElasticMQ: every client gets its queues provisioned under a new name prefix, the API keeping the
 * logical names; another process joins a client's queues by that prefix. Time passes by sleeping.
 * Thread-safe (the server and client are per JVM).
 */
final class ElasticMqFixture implements ReliabilityFixture {
    /** The margin added to each sleep so that a timeout of exactly the amount has certainly passed. */
    private static final Duration MARGIN = Duration.ofMillis(300);

    private final Map<QueueClient, String> prefixes = Collections.synchronizedMap(new IdentityHashMap<>());

    @Override
    public QueueClient open(Topology topology) {
        String prefix = SqsTestSupport.provision(topology);
        QueueClient client = SqsTestSupport.open(topology, prefix, Map.of());
        prefixes.put(client, prefix);
        return client;
    }

    @Override
    public Map<String, String> environmentOf(QueueClient client) {
        String prefix = prefixes.get(client);
        if (prefix == null) {
            throw new IllegalArgumentException("not a client of this fixture: " + client);
        }
        return SqsTestSupport.environment(prefix);
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
