package io.github.mq4j;

/**
 * How an SQS FIFO queue applies its throughput quota (SQS {@code FifoThroughputLimit}).
 * {@link #PER_MESSAGE_GROUP_ID} together with {@link DeduplicationScope#MESSAGE_GROUP} is SQS's
 * high-throughput FIFO mode. Backends other than SQS have no such quota and ignore it.
 */
public enum FifoThroughputLimit {
    /** The quota applies to the queue as a whole. The default. */
    PER_QUEUE,
    /** The quota applies to each message group; requires {@link DeduplicationScope#MESSAGE_GROUP}. */
    PER_MESSAGE_GROUP_ID
}
