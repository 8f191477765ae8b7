package io.github.mq4j;

import org.jspecify.annotations.Nullable;

/**
 * The root of the exceptions mq4j throws for anything but invalid arguments (those are
 * {@link ValidationException}s, which are {@link IllegalArgumentException}s).
 *
 * <p>Carries the queue and the message id it concerns where they are known. Exceptions of a
 * backend's client library ({@code SQLException}, AWS SDK exceptions) are translated at the
 * backend's edge into a subtype of this one, with the original kept as the cause.
 */
public class MessageQueueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final @Nullable String queue;
    private final @Nullable String messageId;

    public MessageQueueException(String message) {
        this(message, null, null, null);
    }

    public MessageQueueException(String message, @Nullable Throwable cause) {
        this(message, null, null, cause);
    }

    public MessageQueueException(
            String message, @Nullable String queue, @Nullable String messageId, @Nullable Throwable cause) {
        super(message, cause);
        this.queue = queue;
        this.messageId = messageId;
    }

    /** The logical queue this error concerns, or {@code null} when it concerns no single queue. */
    public @Nullable String queue() {
        return queue;
    }

    /** The message this error concerns, or {@code null} when it concerns no single message. */
    public @Nullable String messageId() {
        return messageId;
    }
}
