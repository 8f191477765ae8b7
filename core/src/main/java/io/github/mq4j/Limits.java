package io.github.mq4j;

import java.time.Duration;

/**
 * The limits of the semantics contract, the same for every backend (they are Amazon SQS's).
 * Core checks each of them before any I/O and throws a {@link ValidationException} that names
 * the field, the limit and the offending size. Durations are whole seconds, as on SQS: a
 * fraction of a second is an error, never rounded.
 */
public final class Limits {
    private Limits() {}

    /** The smallest message body, in UTF-8 bytes. */
    public static final int MIN_BODY_BYTES = 1;
    /** The maximum message size of a queue unless its {@link QueueSpec} says otherwise: 256 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024;
    /** The smallest maximum message size a queue may be given: 1 KiB. */
    public static final int MIN_MAX_MESSAGE_SIZE = 1024;
    /** The largest maximum message size a queue may be given: 1 MiB. */
    public static final int MAX_MAX_MESSAGE_SIZE = 1024 * 1024;
    /** Bytes each message attribute adds to the message size besides its name and value (its type, {@code "String"}). */
    public static final int ATTRIBUTE_TYPE_BYTES = 6;
    /** The most message attributes one message may carry. */
    public static final int MAX_ATTRIBUTES = 10;
    /** The longest attribute name, in characters. */
    public static final int MAX_ATTRIBUTE_NAME_LENGTH = 256;
    /** The longest message group id or deduplication id, in characters. */
    public static final int MAX_ID_LENGTH = 128;
    /** The most messages one receive returns. */
    public static final int MAX_RECEIVE_MESSAGES = 10;
    /** The longest a receive may wait for a message (long polling). */
    public static final Duration MAX_WAIT_TIME = Duration.ofSeconds(20);
    /** The longest visibility timeout. */
    public static final Duration MAX_VISIBILITY_TIMEOUT = Duration.ofHours(12);
    /** The longest delay of a message or a queue. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(900);
    /** The shortest retention period of a queue. */
    public static final Duration MIN_RETENTION = Duration.ofSeconds(60);
    /** The longest retention period of a queue. */
    public static final Duration MAX_RETENTION = Duration.ofDays(14);
    /** How long a FIFO deduplication id suppresses a second send with the same id. */
    public static final Duration DEDUPLICATION_WINDOW = Duration.ofMinutes(5);
    /** The longest queue name, including a {@code .fifo} suffix. */
    public static final int MAX_QUEUE_NAME_LENGTH = 80;
    /** The suffix every FIFO queue name ends with, and no standard queue name does. */
    public static final String FIFO_SUFFIX = ".fifo";
    /** The largest {@code maxReceiveCount} of a dead-letter policy. */
    public static final int MAX_MAX_RECEIVE_COUNT = 1000;
    /** The largest rate a redrive may be limited to, in messages per second. */
    public static final int MAX_REDRIVE_RATE = 500;
    /** Attribute names with this prefix are reserved for mq4j's own use. */
    public static final String RESERVED_ATTRIBUTE_PREFIX = "mq4j.";
}
