package io.github.mq4j.worker;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by a {@link MessageHandler} (or code it calls) to reject its message as poison: the
 * message goes to the queue's dead-letter queue at once, without further retries. The same as
 * {@link MessageContext#rejectAsPoison(String)}, for code that has no context at hand.
 */
public class PoisonMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A rejection for {@code reason}. */
    public PoisonMessageException(String reason) {
        super(reason);
    }

    /** A rejection for {@code reason}, caused by {@code cause} (e.g. a parse error). */
    public PoisonMessageException(String reason, @Nullable Throwable cause) {
        super(reason, cause);
    }
}
