package io.github.mq4j;

import org.jspecify.annotations.Nullable;

/**
 * A backend could not carry out an operation: the database or SQS was unreachable, refused
 * the request or failed. The cause is the backend client's own exception ({@code SQLException},
 * an AWS SDK exception), kept unchanged. Whether the operation took effect is unknown unless the
 * subtype says otherwise; retrying a send may therefore duplicate a message (at-least-once).
 */
public class BackendException extends MessageQueueException {
    private static final long serialVersionUID = 1L;

    public BackendException(String message, @Nullable String queue, @Nullable Throwable cause) {
        super(message, queue, null, cause);
    }
}
