package io.github.mq4j;

import org.jspecify.annotations.Nullable;

/**
 * What {@link MessageQueue#redrive(RedriveRequest)} moves where. Immutable.
 *
 * @param destination the queue to move every message to, or {@code null} to move each message
 *     back to the queue it came from ({@link ReceivedMessage#deadLetterSource()})
 * @param maxMessagesPerSecond a rate limit, 1 to 500 messages per second, or {@code null} for none
 */
public record RedriveRequest(@Nullable String destination, @Nullable Integer maxMessagesPerSecond) {

    /** Every message back to its source queue, as fast as possible. */
    public static RedriveRequest toSource() {
        return new RedriveRequest(null, null);
    }

    /** Every message to {@code destination}, as fast as possible. */
    public static RedriveRequest to(String destination) {
        return new RedriveRequest(destination, null);
    }

    /** This request limited to {@code messagesPerSecond}. */
    public RedriveRequest withRateLimit(int messagesPerSecond) {
        return new RedriveRequest(destination, messagesPerSecond);
    }
}
