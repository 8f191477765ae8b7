package io.github.mq4j;

/**
 * The checks core applies to a message before any backend sees it, for code outside core that
 * sends without going through a {@link MessageQueue} — for example a backend's transactional
 * send on an application's own database connection. Stateless and thread-safe.
 */
public final class SendChecks {
    private SendChecks() {}

    /**
     * Checks {@code message} against {@code queue} exactly as {@link MessageQueue#send(OutgoingMessage)}
     * does, and returns it as a backend receives it: on a FIFO queue with content-based
     * deduplication and no deduplication id, the id is the SHA-256 of the body.
     *
     * @throws ValidationException if the message breaks a limit of the queue
     */
    public static OutgoingMessage checked(QueueSpec queue, OutgoingMessage message) {
        Validation.requireNonNull("queue", queue);
        return Validation.message(queue, message);
    }
}
