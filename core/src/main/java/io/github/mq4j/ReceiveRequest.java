package io.github.mq4j;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a receive asks for. Immutable; validated when used, against {@link Limits}.
 *
 * <pre>{@code
 * queue.receive(ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofSeconds(20)).build());
 * }</pre>
 *
 * @param maxMessages how many messages at most, 1 to 10. Defaults to 1
 * @param waitTime how long to wait for a first message, 0 to 20 s (long polling); {@code null}
 *     means the queue's {@link QueueSpec#receiveWaitTime()}
 * @param visibilityTimeout how long the received messages stay hidden, 0 to 12 h; {@code null}
 *     means the queue's {@link QueueSpec#visibilityTimeout()}
 */
public record ReceiveRequest(int maxMessages, @Nullable Duration waitTime, @Nullable Duration visibilityTimeout) {

    private static final ReceiveRequest DEFAULTS = new ReceiveRequest(1, null, null);

    /** One message, the queue's wait time and visibility timeout. */
    public static ReceiveRequest defaults() {
        return DEFAULTS;
    }

    /** Up to {@code maxMessages} messages, the queue's wait time and visibility timeout. */
    public static ReceiveRequest of(int maxMessages) {
        return new ReceiveRequest(maxMessages, null, null);
    }

    /** Up to {@code maxMessages} messages, waiting up to {@code waitTime} for the first. */
    public static ReceiveRequest of(int maxMessages, Duration waitTime) {
        return new ReceiveRequest(maxMessages, waitTime, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ReceiveRequest}. Not thread-safe. */
    public static final class Builder {
        private int maxMessages = 1;
        private @Nullable Duration waitTime;
        private @Nullable Duration visibilityTimeout;

        private Builder() {}

        /** 1 to 10. Defaults to 1. */
        public Builder maxMessages(int value) {
            this.maxMessages = value;
            return this;
        }

        /** 0 to 20 s. Defaults to the queue's receive wait time. */
        public Builder waitTime(@Nullable Duration value) {
            this.waitTime = value;
            return this;
        }

        /** 0 to 12 h. Defaults to the queue's visibility timeout. */
        public Builder visibilityTimeout(@Nullable Duration value) {
            this.visibilityTimeout = value;
            return this;
        }

        public ReceiveRequest build() {
            return new ReceiveRequest(maxMessages, waitTime, visibilityTimeout);
        }
    }
}
