package io.github.mq4j;

import org.jspecify.annotations.Nullable;

/**
 * An argument broke a limit of the semantics contract (see {@link Limits}). Thrown by core
 * before any I/O, so nothing was sent, received or changed.
 *
 * <p>The message names the field, the limit and the offending size or value, for example
 * {@code "body is 262145 bytes, over the limit of 262144 bytes of queue 'async-jobs'"}.
 */
public class ValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final @Nullable String queue;

    public ValidationException(String field, String message) {
        this(field, null, message);
    }

    public ValidationException(String field, @Nullable String queue, String message) {
        super(message);
        this.field = field;
        this.queue = queue;
    }

    /** The name of the offending field, e.g. {@code "body"}, {@code "groupId"} or {@code "attributes"}. */
    public String field() {
        return field;
    }

    /** The queue the call addressed, or {@code null} if the error does not concern one queue. */
    public @Nullable String queue() {
        return queue;
    }
}
