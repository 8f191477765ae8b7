package io.github.mq4j;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message to send: its body, string attributes and, for FIFO queues, its group and
 * deduplication ids. Immutable. The limits ({@link Limits}) are checked when the message is
 * sent, against the queue it is sent to, so one message value can be reused across queues.
 *
 * <pre>{@code
 * queue.send(OutgoingMessage.of("{\"run\":42}"));
 * fifoQueue.send(OutgoingMessage.builder(body).groupId("build-7-12").build());
 * }</pre>
 *
 * @param body the body, 1 byte up to the queue's maximum message size of UTF-8 text
 * @param attributes string attributes, at most {@link Limits#MAX_ATTRIBUTES}; never null
 * @param groupId FIFO only and required there: the message group, which is delivered in order
 * @param deduplicationId FIFO only: the id a second send within 5 minutes is suppressed by;
 *     required unless the queue has content-based deduplication
 * @param delay standard queues only: how long the message stays invisible after the send, 0 to
 *     900 s; {@code null} means the queue's delay
 */
public record OutgoingMessage(
        String body,
        Map<String, String> attributes,
        @Nullable String groupId,
        @Nullable String deduplicationId,
        @Nullable Duration delay) {

    public OutgoingMessage {
        Objects.requireNonNull(body, "body");
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A message with this body and nothing else. */
    public static OutgoingMessage of(String body) {
        return new OutgoingMessage(body, Map.of(), null, null, null);
    }

    /** A builder for a message with this body. */
    public static Builder builder(String body) {
        return new Builder(body);
    }

    /** A builder initialised from this message. */
    public Builder toBuilder() {
        Builder b = new Builder(body);
        b.attributes.putAll(attributes);
        b.groupId = groupId;
        b.deduplicationId = deduplicationId;
        b.delay = delay;
        return b;
    }

    /** Builds an {@link OutgoingMessage}. Not thread-safe. */
    public static final class Builder {
        private final String body;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private @Nullable String groupId;
        private @Nullable String deduplicationId;
        private @Nullable Duration delay;

        private Builder(String body) {
            this.body = Objects.requireNonNull(body, "body");
        }

        /** Adds (or replaces) a string attribute. */
        public Builder attribute(String name, String value) {
            attributes.put(Objects.requireNonNull(name, "attribute name"), Objects.requireNonNull(value, "attribute value"));
            return this;
        }

        /** Adds (or replaces) all these attributes. */
        public Builder attributes(Map<String, String> values) {
            values.forEach(this::attribute);
            return this;
        }

        /** The FIFO message group. */
        public Builder groupId(@Nullable String value) {
            this.groupId = value;
            return this;
        }

        /** The FIFO deduplication id. */
        public Builder deduplicationId(@Nullable String value) {
            this.deduplicationId = value;
            return this;
        }

        /** The delay of this message (standard queues only). */
        public Builder delay(@Nullable Duration value) {
            this.delay = value;
            return this;
        }

        public OutgoingMessage build() {
            return new OutgoingMessage(body, attributes, groupId, deduplicationId, delay);
        }
    }
}
