package io.github.mq4j.testkit;

/**
 * A case of the contract that a backend or its test server is known not to honour. A fixture
 * lists its gaps in {@link BackendFixture#knownGaps()} with the reason; the tests of that case are
 * then aborted with the reason (reported as skipped), never silently passed.
 */
public enum KnownGap {
    /**
     * Messages older than their queue's retention period are not deleted (ElasticMQ ignores the
     * retention period).
     */
    RETENTION,
    /**
     * Deduplication scope {@link io.github.mq4j.DeduplicationScope#MESSAGE_GROUP} is treated as
     * queue-wide (ElasticMQ does not honour per-group scope).
     */
    DEDUPLICATION_SCOPE_MESSAGE_GROUP,
    /**
     * A FIFO batch send returns no sequence numbers although single sends do (ElasticMQ leaves
     * {@code SequenceNumber} empty in batch results).
     */
    SEQUENCE_NUMBER_IN_BATCH,
    /**
     * {@link io.github.mq4j.QueueStats#oldestMessageAge()} is always {@code null}: the backend
     * cannot know it (SQS reports it only to CloudWatch).
     */
    OLDEST_MESSAGE_AGE
}
