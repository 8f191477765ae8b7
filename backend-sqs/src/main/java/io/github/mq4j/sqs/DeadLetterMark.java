package io.github.mq4j.sqs;

import io.github.mq4j.Limits;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@code moveToDeadLetter} records on the copy it sends to the dead-letter queue, in one
 * reserved message attribute ({@value #ATTRIBUTE}, a name core forbids applications to use): the
 * logical source queue, the original message id and send time, and — only when the message
 * already has the 10 attributes SQS allows — the application's attributes themselves, so the
 * mark never takes an 11th slot. Encoded as {@code application/x-www-form-urlencoded}. Immutable.
 *
 * @param source the logical queue the message was moved from
 * @param messageId the message id on the source queue
 * @param sentAt when the message was first sent
 * @param packedAttributes the application's attributes when they had to be packed into the mark, else empty
 */
record DeadLetterMark(String source, String messageId, Instant sentAt, Map<String, String> packedAttributes) {

    /** The reserved attribute name. */
    static final String ATTRIBUTE = Limits.RESERVED_ATTRIBUTE_PREFIX + "deadLetter";

    private static final String PACKED_PREFIX = "a.";

    DeadLetterMark {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sentAt, "sentAt");
        packedAttributes = Map.copyOf(packedAttributes);
    }

    /**
     * The mark for a message with these attributes, and the attributes the copy carries besides
     * the mark: all of them when there is room for the mark, none when they are packed into it.
     */
    static DeadLetterMark forMessage(String source, String messageId, Instant sentAt, Map<String, String> attributes) {
        boolean pack = attributes.size() >= Limits.MAX_ATTRIBUTES;
        return new DeadLetterMark(source, messageId, sentAt, pack ? attributes : Map.of());
    }

    /** Whether the application's attributes travel inside the mark. */
    boolean packed() {
        return !packedAttributes.isEmpty();
    }

    String encode() {
        StringBuilder s = new StringBuilder();
        append(s, "source", source);
        append(s, "id", messageId);
        append(s, "sentAt", Long.toString(sentAt.toEpochMilli()));
        for (Map.Entry<String, String> e : packedAttributes.entrySet()) {
            append(s, PACKED_PREFIX + e.getKey(), e.getValue());
        }
        return s.toString();
    }

    /** The mark encoded in {@code value}, or {@code null} if it is not one. */
    static @Nullable DeadLetterMark decode(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String source = null;
        String id = null;
        Instant sentAt = null;
        Map<String, String> packed = new LinkedHashMap<>();
        try {
            for (String pair : value.split("&")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    return null;
                }
                String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "source" -> source = v;
                    case "id" -> id = v;
                    case "sentAt" -> sentAt = Instant.ofEpochMilli(Long.parseLong(v));
                    default -> {
                        if (key.startsWith(PACKED_PREFIX)) {
                            packed.put(key.substring(PACKED_PREFIX.length()), v);
                        }
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (source == null || id == null || sentAt == null) {
            return null;
        }
        return new DeadLetterMark(source, id, sentAt, packed);
    }

    private static void append(StringBuilder s, String key, String value) {
        if (s.length() > 0) {
            s.append('&');
        }
        s.append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
