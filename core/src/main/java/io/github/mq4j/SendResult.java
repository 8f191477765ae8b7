package io.github.mq4j;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one successful send. Immutable.
 *
 * @param messageId the message's id; for a FIFO send suppressed as a duplicate, the id of the
 *     message first sent with that deduplication id
 * @param sequenceNumber the FIFO sequence number where the backend provides one, or {@code null}
 */
public record SendResult(String messageId, @Nullable String sequenceNumber) {
    public SendResult {
        Objects.requireNonNull(messageId, "messageId");
    }
}
