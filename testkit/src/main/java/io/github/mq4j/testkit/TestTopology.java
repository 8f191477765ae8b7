package io.github.mq4j.testkit;

import io.github.mq4j.DeduplicationScope;
import io.github.mq4j.Limits;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.Topology;
import java.time.Duration;

/**
 * The queues every conformance test runs on: one of each kind the contract distinguishes, with
 * short timeouts so that a backend whose fixture sleeps through them stays fast. The names are
 * valid SQS names and short enough for a fixture to prefix them.
 *
 * <p>Every queue has a visibility timeout of {@link #VISIBILITY_TIMEOUT} unless its constant says
 * otherwise, the default retention (4 days) and no delay.
 */
public final class TestTopology {
    private TestTopology() {}

    /** The visibility timeout of most test queues: 2 s. */
    public static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(2);
    /** The delay of {@link #DELAYED} and {@link #DELAYED_FIFO}: 2 s. */
    public static final Duration QUEUE_DELAY = Duration.ofSeconds(2);
    /** The retention of {@link #EXPIRING} and {@link #EXPIRING_DLQ}: 60 s, the shortest allowed. */
    public static final Duration SHORT_RETENTION = Duration.ofSeconds(60);
    /** The visibility timeout of {@link #LONG_VISIBILITY}: 30 s. */
    public static final Duration LONG_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /** The receive wait time of {@link #POLLING}: 10 s. */
    public static final Duration POLLING_WAIT_TIME = Duration.ofSeconds(10);
    /** The max receive count of every dead-letter policy except {@link #EXPIRING_SOURCE}'s: 3. */
    public static final int MAX_RECEIVE_COUNT = 3;
    /** The maximum message size of {@link #SMALL}: 1 KiB, the smallest allowed. */
    public static final int SMALL_MAX_MESSAGE_SIZE = 1024;

    /** Standard queue, dead letters to {@link #STANDARD_DLQ} after {@link #MAX_RECEIVE_COUNT} receives. */
    public static final String STANDARD = "standard";
    /** A second standard queue dead-lettering to {@link #STANDARD_DLQ}, so that queue has two sources. */
    public static final String STANDARD_B = "standard-b";
    /** The standard dead-letter queue of {@link #STANDARD} and {@link #STANDARD_B}. */
    public static final String STANDARD_DLQ = "standard-dlq";
    /** Standard queue without a dead-letter queue; a redrive destination. */
    public static final String PLAIN = "plain";
    /** Standard queue with a visibility timeout of {@link #LONG_VISIBILITY_TIMEOUT}. */
    public static final String LONG_VISIBILITY = "long-visibility";
    /** Standard queue with a delay of {@link #QUEUE_DELAY}. */
    public static final String DELAYED = "delayed";
    /** Standard queue with a retention of {@link #SHORT_RETENTION}. */
    public static final String EXPIRING = "expiring";
    /** Standard queue (default retention) dead-lettering to {@link #EXPIRING_DLQ} after 1 receive. */
    public static final String EXPIRING_SOURCE = "expiring-source";
    /** Standard dead-letter queue with a retention of {@link #SHORT_RETENTION}. */
    public static final String EXPIRING_DLQ = "expiring-dlq";
    /** Standard queue whose receives wait {@link #POLLING_WAIT_TIME} unless the request says otherwise. */
    public static final String POLLING = "polling";
    /** Standard queue with a maximum message size of {@link #SMALL_MAX_MESSAGE_SIZE}. */
    public static final String SMALL = "small";
    /** Standard queue with the largest maximum message size allowed, {@link io.github.mq4j.Limits#MAX_MAX_MESSAGE_SIZE} (1 MiB). */
    public static final String LARGE = "large";

    /**
     * FIFO queue without content-based deduplication (every message needs a deduplication id),
     * dead letters to {@link #FIFO_DLQ} after {@link #MAX_RECEIVE_COUNT} receives.
     */
    public static final String FIFO = "ordered.fifo";
    /** The FIFO dead-letter queue of {@link #FIFO}, with content-based deduplication. */
    public static final String FIFO_DLQ = "ordered-dlq.fifo";
    /** FIFO queue without dead-letter queue or content-based deduplication; a redrive destination. */
    public static final String PLAIN_FIFO = "plain.fifo";
    /** FIFO queue with content-based deduplication. */
    public static final String CONTENT_FIFO = "content.fifo";
    /** FIFO queue with content-based deduplication scoped to the message group. */
    public static final String GROUP_SCOPE_FIFO = "group-scope.fifo";
    /** FIFO queue with content-based deduplication and a delay of {@link #QUEUE_DELAY}. */
    public static final String DELAYED_FIFO = "delayed.fifo";

    /** The topology of all the queues above. */
    public static Topology topology() {
        return Topology.of(
                standard(STANDARD).deadLetter(STANDARD_DLQ, MAX_RECEIVE_COUNT).build(),
                standard(STANDARD_B).deadLetter(STANDARD_DLQ, MAX_RECEIVE_COUNT).build(),
                standard(STANDARD_DLQ).build(),
                standard(PLAIN).build(),
                standard(LONG_VISIBILITY).visibilityTimeout(LONG_VISIBILITY_TIMEOUT).build(),
                standard(DELAYED).delay(QUEUE_DELAY).build(),
                standard(EXPIRING).retention(SHORT_RETENTION).build(),
                standard(EXPIRING_SOURCE).deadLetter(EXPIRING_DLQ, 1).build(),
                standard(EXPIRING_DLQ).retention(SHORT_RETENTION).build(),
                standard(POLLING).receiveWaitTime(POLLING_WAIT_TIME).build(),
                standard(SMALL).maxMessageSize(SMALL_MAX_MESSAGE_SIZE).build(),
                standard(LARGE).maxMessageSize(Limits.MAX_MAX_MESSAGE_SIZE).build(),
                fifo(FIFO).deadLetter(FIFO_DLQ, MAX_RECEIVE_COUNT).build(),
                fifo(FIFO_DLQ).contentBasedDeduplication(true).build(),
                fifo(PLAIN_FIFO).build(),
                fifo(CONTENT_FIFO).contentBasedDeduplication(true).build(),
                fifo(GROUP_SCOPE_FIFO).contentBasedDeduplication(true)
                        .deduplicationScope(DeduplicationScope.MESSAGE_GROUP).build(),
                fifo(DELAYED_FIFO).contentBasedDeduplication(true).delay(QUEUE_DELAY).build());
    }

    private static QueueSpec.Builder standard(String name) {
        return QueueSpec.standard(name).visibilityTimeout(VISIBILITY_TIMEOUT);
    }

    private static QueueSpec.Builder fifo(String name) {
        return QueueSpec.fifo(name).visibilityTimeout(VISIBILITY_TIMEOUT);
    }
}
