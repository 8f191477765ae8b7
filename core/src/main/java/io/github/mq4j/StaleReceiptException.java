package io.github.mq4j;

import org.jspecify.annotations.Nullable;

/**
 * A visibility change named a receipt that is no longer current: the message was deleted,
 * moved to its dead-letter queue, or received again (by anyone) since that receipt was
 * handed out. The message was not changed.
 *
 * <p>Deleting with a stale receipt is not an error: it does nothing, as on SQS.
 */
public final class StaleReceiptException extends MessageQueueException {
    private static final long serialVersionUID = 1L;

    public StaleReceiptException(String queue, @Nullable String messageId) {
        super("receipt is no longer current on queue '" + queue + "'"
                + (messageId == null ? "" : " for message " + messageId)
                + ": the message was deleted or received again since", queue, messageId, null);
    }
}
