package io.github.mq4j;

/** Where a FIFO queue's deduplication ids must be unique (SQS {@code DeduplicationScope}). */
public enum DeduplicationScope {
    /** An id suppresses a second send with the same id anywhere in the queue. The default. */
    QUEUE,
    /** An id suppresses a second send with the same id only within the same message group. */
    MESSAGE_GROUP
}
