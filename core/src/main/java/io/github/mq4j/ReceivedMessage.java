package io.github.mq4j;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message as a receive returned it. Immutable.
 *
 * @param queue the logical queue it was received from
 * @param messageId the id the send returned; stable across redeliveries and dead-letter moves
 * @param receipt the receipt of this receive, for {@link MessageQueue#delete(String)} and
 *     {@link MessageQueue#changeVisibility(String, java.time.Duration)}; only the latest receipt of a message is current
 * @param body the body as sent
 * @param attributes the string attributes as sent
 * @param groupId the message group (FIFO queues), or {@code null}
 * @param deduplicationId the deduplication id in effect (FIFO queues), or {@code null}
 * @param sequenceNumber the FIFO sequence number where the backend provides one, or {@code null}
 * @param receiveCount how many times the message has been received, this receive included (1 the first time)
 * @param sentAt when the message was sent (to its original queue)
 * @param firstReceivedAt when the message was received for the first time
 * @param deadLetterSource for a message moved to a dead-letter queue: the queue it came from; else {@code null}
 */
public record ReceivedMessage(
        String queue,
        String messageId,
        String receipt,
        String body,
        Map<String, String> attributes,
        @Nullable String groupId,
        @Nullable String deduplicationId,
        @Nullable String sequenceNumber,
        int receiveCount,
        Instant sentAt,
        Instant firstReceivedAt,
        @Nullable String deadLetterSource) {

    public ReceivedMessage {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(receipt, "receipt");
        Objects.requireNonNull(body, "body");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(firstReceivedAt, "firstReceivedAt");
    }

    /** The attribute named {@code name}, or {@code null}. */
    public @Nullable String attribute(String name) {
        return attributes.get(name);
    }

    /** The message without its body, for logs. */
    @Override
    public String toString() {
        return "ReceivedMessage[queue=" + queue + ", messageId=" + messageId + ", receiveCount=" + receiveCount
                + (groupId == null ? "" : ", groupId=" + groupId) + ", bodyLength=" + body.length() + "]";
    }
}
