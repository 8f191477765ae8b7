package io.github.mq4j;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The specification of one logical queue: plain, immutable data. Validated on construction
 * against {@link Limits}. Build one with {@link #standard(String)} or {@link #fifo(String)}.
 *
 * @param name the queue's name: 1 to 80 characters of {@code [A-Za-z0-9_-]}, ending in
 *     {@code .fifo} exactly when the queue is FIFO
 * @param fifo whether the queue is FIFO (ordered per message group, deduplicated)
 * @param visibilityTimeout how long a received message stays hidden. Defaults to 30 s
 * @param retention how long a message is kept before it is deleted unread. Defaults to 4 days
 * @param delay the delay of every message sent to the queue. Defaults to 0
 * @param receiveWaitTime how long a receive waits when it names no wait time (long polling). Defaults to 0
 * @param maxMessageSize the largest message, body and attributes, in bytes. Defaults to 256 KiB
 * @param deadLetter where messages go after too many receives, or {@code null} for nowhere
 * @param contentBasedDeduplication FIFO only: a message without a deduplication id is
 *     deduplicated on the SHA-256 of its body. Defaults to false
 * @param deduplicationScope FIFO only: where deduplication ids must be unique. Defaults to {@link DeduplicationScope#QUEUE}
 * @param fifoThroughputLimit FIFO only, SQS only: how the throughput quota applies. Defaults to {@link FifoThroughputLimit#PER_QUEUE}
 * @param configKey the key naming this queue in configuration variables, e.g. {@code ASYNC} in
 *     {@code MESSAGE_QUEUE_SQS_ASYNC_URL}. Defaults to the name in upper case with {@code -} and
 *     {@code .} as {@code _} (so {@code app-high.fifo} is {@code APP_HIGH_FIFO})
 */
public record QueueSpec(
        String name,
        boolean fifo,
        Duration visibilityTimeout,
        Duration retention,
        Duration delay,
        Duration receiveWaitTime,
        int maxMessageSize,
        @Nullable DeadLetterPolicy deadLetter,
        boolean contentBasedDeduplication,
        DeduplicationScope deduplicationScope,
        FifoThroughputLimit fifoThroughputLimit,
        String configKey) {

    /** The visibility timeout of a queue that sets none: 30 s, as on SQS. */
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /** The retention of a queue that sets none: 4 days, as on SQS. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(4);

    public QueueSpec {
        Validation.queueName(name, fifo);
        Validation.wholeSeconds("visibilityTimeout", name, visibilityTimeout, Duration.ZERO, Limits.MAX_VISIBILITY_TIMEOUT);
        Validation.wholeSeconds("retention", name, retention, Limits.MIN_RETENTION, Limits.MAX_RETENTION);
        Validation.wholeSeconds("delay", name, delay, Duration.ZERO, Limits.MAX_DELAY);
        Validation.wholeSeconds("receiveWaitTime", name, receiveWaitTime, Duration.ZERO, Limits.MAX_WAIT_TIME);
        if (maxMessageSize < Limits.MIN_MAX_MESSAGE_SIZE || maxMessageSize > Limits.MAX_MAX_MESSAGE_SIZE) {
            throw new ValidationException("maxMessageSize", name, "maxMessageSize of queue '" + name + "' is " + maxMessageSize
                    + " bytes; it must be " + Limits.MIN_MAX_MESSAGE_SIZE + " to " + Limits.MAX_MAX_MESSAGE_SIZE + " bytes");
        }
        Objects.requireNonNull(deduplicationScope, "deduplicationScope");
        Objects.requireNonNull(fifoThroughputLimit, "fifoThroughputLimit");
        if (!fifo) {
            if (contentBasedDeduplication) {
                throw fifoOnly("contentBasedDeduplication", name, "true");
            }
            if (deduplicationScope != DeduplicationScope.QUEUE) {
                throw fifoOnly("deduplicationScope", name, deduplicationScope.name());
            }
            if (fifoThroughputLimit != FifoThroughputLimit.PER_QUEUE) {
                throw fifoOnly("fifoThroughputLimit", name, fifoThroughputLimit.name());
            }
        }
        if (fifoThroughputLimit == FifoThroughputLimit.PER_MESSAGE_GROUP_ID
                && deduplicationScope != DeduplicationScope.MESSAGE_GROUP) {
            throw new ValidationException("fifoThroughputLimit", name, "queue '" + name
                    + "': fifoThroughputLimit PER_MESSAGE_GROUP_ID requires deduplicationScope MESSAGE_GROUP");
        }
        if (deadLetter != null && deadLetter.targetQueue().equals(name)) {
            throw new ValidationException("deadLetter.targetQueue", name, "deadLetter.targetQueue of queue '" + name
                    + "' is the queue itself; a queue cannot be its own dead-letter queue");
        }
        Validation.requireNonNull("configKey", configKey);
        if (!configKey.matches("[A-Z0-9_]{1,80}")) {
            throw new ValidationException("configKey", name, "configKey of queue '" + name + "' is '" + configKey
                    + "'; it must be 1 to 80 characters of [A-Z0-9_]");
        }
    }

    private static ValidationException fifoOnly(String field, String name, String value) {
        return new ValidationException(field, name, field + " is " + value + " but queue '" + name
                + "' is standard; contentBasedDeduplication, deduplicationScope and fifoThroughputLimit apply only to FIFO queues");
    }

    /** A builder for a standard queue named {@code name}, with every other field at its default. */
    public static Builder standard(String name) {
        return new Builder(name, false);
    }

    /** A builder for a FIFO queue named {@code name} (which must end in {@code .fifo}). */
    public static Builder fifo(String name) {
        return new Builder(name, true);
    }

    /** A builder initialised from this specification. */
    public Builder toBuilder() {
        Builder b = new Builder(name, fifo);
        b.visibilityTimeout = visibilityTimeout;
        b.retention = retention;
        b.delay = delay;
        b.receiveWaitTime = receiveWaitTime;
        b.maxMessageSize = maxMessageSize;
        b.deadLetter = deadLetter;
        b.contentBasedDeduplication = contentBasedDeduplication;
        b.deduplicationScope = deduplicationScope;
        b.fifoThroughputLimit = fifoThroughputLimit;
        b.configKey = configKey;
        return b;
    }

    /** The {@link #configKey} a queue gets when it names none. */
    public static String defaultConfigKey(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /** Builds a {@link QueueSpec}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final boolean fifo;
        private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
        private Duration retention = DEFAULT_RETENTION;
        private Duration delay = Duration.ZERO;
        private Duration receiveWaitTime = Duration.ZERO;
        private int maxMessageSize = Limits.DEFAULT_MAX_MESSAGE_SIZE;
        private @Nullable DeadLetterPolicy deadLetter;
        private boolean contentBasedDeduplication;
        private DeduplicationScope deduplicationScope = DeduplicationScope.QUEUE;
        private FifoThroughputLimit fifoThroughputLimit = FifoThroughputLimit.PER_QUEUE;
        private @Nullable String configKey;

        private Builder(String name, boolean fifo) {
            this.name = Validation.requireNonNull("name", name);
            this.fifo = fifo;
        }

        /** How long a received message stays hidden. Defaults to 30 s. */
        public Builder visibilityTimeout(Duration value) {
            this.visibilityTimeout = value;
            return this;
        }

        /** How long a message is kept. Defaults to 4 days. */
        public Builder retention(Duration value) {
            this.retention = value;
            return this;
        }

        /** The delay of every message sent to the queue. Defaults to 0. */
        public Builder delay(Duration value) {
            this.delay = value;
            return this;
        }

        /** How long a receive that names no wait time waits. Defaults to 0. */
        public Builder receiveWaitTime(Duration value) {
            this.receiveWaitTime = value;
            return this;
        }

        /** The largest message in bytes. Defaults to 256 KiB. */
        public Builder maxMessageSize(int value) {
            this.maxMessageSize = value;
            return this;
        }

        /** Moves messages to {@code targetQueue} after {@code maxReceiveCount} receives. Defaults to none. */
        public Builder deadLetter(String targetQueue, int maxReceiveCount) {
            this.deadLetter = new DeadLetterPolicy(targetQueue, maxReceiveCount);
            return this;
        }

        /** Sets or (with {@code null}) removes the dead-letter policy. Defaults to none. */
        public Builder deadLetter(@Nullable DeadLetterPolicy value) {
            this.deadLetter = value;
            return this;
        }

        /** FIFO only: deduplicate on the SHA-256 of the body when no id is given. Defaults to false. */
        public Builder contentBasedDeduplication(boolean value) {
            this.contentBasedDeduplication = value;
            return this;
        }

        /** FIFO only: where deduplication ids must be unique. Defaults to {@link DeduplicationScope#QUEUE}. */
        public Builder deduplicationScope(DeduplicationScope value) {
            this.deduplicationScope = value;
            return this;
        }

        /** FIFO only, SQS only: the throughput quota. Defaults to {@link FifoThroughputLimit#PER_QUEUE}. */
        public Builder fifoThroughputLimit(FifoThroughputLimit value) {
            this.fifoThroughputLimit = value;
            return this;
        }

        /** SQS high-throughput FIFO: deduplication per message group and throughput per message group. */
        public Builder highThroughputFifo() {
            this.deduplicationScope = DeduplicationScope.MESSAGE_GROUP;
            this.fifoThroughputLimit = FifoThroughputLimit.PER_MESSAGE_GROUP_ID;
            return this;
        }

        /** The key naming the queue in configuration variables. Defaults to {@link #defaultConfigKey(String)}. */
        public Builder configKey(String value) {
            this.configKey = value;
            return this;
        }

        /** The specification; throws {@link ValidationException} if a field breaks a limit. */
        public QueueSpec build() {
            return new QueueSpec(name, fifo, visibilityTimeout, retention, delay, receiveWaitTime, maxMessageSize,
                    deadLetter, contentBasedDeduplication, deduplicationScope, fifoThroughputLimit,
                    configKey != null ? configKey : defaultConfigKey(name));
        }
    }
}
