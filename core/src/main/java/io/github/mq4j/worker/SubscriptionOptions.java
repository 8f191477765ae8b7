package io.github.mq4j.worker;

import io.github.mq4j.Limits;
import io.github.mq4j.ValidationException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Worker} runs one queue's handler. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * SubscriptionOptions.builder()
 *         .concurrency(4)                                   // its own 4 slots instead of the worker's shared ones
 *         .visibilityTimeout(Duration.ofMinutes(2))
 *         .backoff(BackoffPolicy.exponential(Duration.ofSeconds(10), Duration.ofMinutes(30)))
 *         .build();
 * }</pre>
 *
 * @param concurrency how many of the queue's messages run (or are held) at once, in slots of the
 *     queue's own; {@code null} means the queue shares the worker's {@link Worker.Builder#concurrency(int) slots}
 *     with the other queues that name none, served in the order they were subscribed
 * @param visibilityTimeout how long a received message stays hidden (and the step by which the
 *     worker extends it while the handler runs), 1 s to 12 h in whole seconds; {@code null} means
 *     the queue's own visibility timeout
 * @param backoff how long a failed message stays hidden before it is delivered again
 */
public record SubscriptionOptions(@Nullable Integer concurrency, @Nullable Duration visibilityTimeout, BackoffPolicy backoff) {

    private static final SubscriptionOptions DEFAULTS = new SubscriptionOptions(null, null, BackoffPolicy.DEFAULT);

    public SubscriptionOptions {
        if (concurrency != null && concurrency < 1) {
            throw new ValidationException("concurrency", "subscription concurrency is " + concurrency + "; it must be at least 1");
        }
        if (visibilityTimeout != null) {
            validateVisibility(visibilityTimeout);
        }
        Objects.requireNonNull(backoff, "backoff");
    }

    static void validateVisibility(Duration value) {
        if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Limits.MAX_VISIBILITY_TIMEOUT) > 0
                || value.getNano() != 0) {
            throw new ValidationException("visibilityTimeout", "a worker's visibility timeout is " + value
                    + "; it must be 1 s to " + Limits.MAX_VISIBILITY_TIMEOUT.getSeconds() + " s in whole seconds");
        }
    }

    /** Shared concurrency, the queue's visibility timeout, {@link BackoffPolicy#DEFAULT}. */
    public static SubscriptionOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link SubscriptionOptions}. Not thread-safe. */
    public static final class Builder {
        private @Nullable Integer concurrency;
        private @Nullable Duration visibilityTimeout;
        private BackoffPolicy backoff = BackoffPolicy.DEFAULT;

        private Builder() {}

        /** Slots of the queue's own, at least 1. Defaults to sharing the worker's slots. */
        public Builder concurrency(int value) {
            this.concurrency = value;
            return this;
        }

        /** 1 s to 12 h, whole seconds. Defaults to the queue's visibility timeout. */
        public Builder visibilityTimeout(Duration value) {
            this.visibilityTimeout = Objects.requireNonNull(value, "visibilityTimeout");
            return this;
        }

        /** Defaults to {@link BackoffPolicy#DEFAULT}. */
        public Builder backoff(BackoffPolicy value) {
            this.backoff = Objects.requireNonNull(value, "backoff");
            return this;
        }

        /** The options; throws {@link ValidationException} if a value is out of range. */
        public SubscriptionOptions build() {
            return new SubscriptionOptions(concurrency, visibilityTimeout, backoff);
        }
    }
}
