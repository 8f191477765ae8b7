package io.github.mq4j;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every limit of the contract, checked in one place before any backend sees a call. Each
 * failure is a {@link ValidationException} naming the field, the limit and the offending size.
 */
final class Validation {
    private Validation() {}

    static final String ID_CHARACTERS = "letters, digits and !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final String TEXT_CHARACTERS = "#x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF";

    static <T> T requireNonNull(String field, @Nullable T value) {
        return requireNonNull(field, null, value);
    }

    static <T> T requireNonNull(String field, @Nullable String queue, @Nullable T value) {
        if (value == null) {
            throw new ValidationException(field, queue, field + " is null" + (queue == null ? "" : " (queue '" + queue + "')")
                    + "; it is required");
        }
        return value;
    }

    static void queueName(@Nullable String name, boolean fifo) {
        requireNonNull("name", name);
        if (name.isEmpty() || name.length() > Limits.MAX_QUEUE_NAME_LENGTH) {
            throw new ValidationException("name", name, "queue name '" + printable(name) + "' is " + name.length()
                    + " characters; it must be 1 to " + Limits.MAX_QUEUE_NAME_LENGTH);
        }
        boolean hasSuffix = name.endsWith(Limits.FIFO_SUFFIX);
        if (fifo != hasSuffix) {
            throw new ValidationException("name", name, fifo
                    ? "FIFO queue name '" + printable(name) + "' must end in " + Limits.FIFO_SUFFIX
                    : "standard queue name '" + printable(name) + "' must not end in " + Limits.FIFO_SUFFIX);
        }
        String stem = fifo ? name.substring(0, name.length() - Limits.FIFO_SUFFIX.length()) : name;
        if (stem.isEmpty()) {
            throw new ValidationException("name", name, "queue name '" + printable(name) + "' has nothing before " + Limits.FIFO_SUFFIX);
        }
        for (int i = 0; i < stem.length(); i++) {
            char c = stem.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                throw new ValidationException("name", name, "queue name '" + printable(name) + "' contains " + describe(c)
                        + " at index " + i + "; allowed are [A-Za-z0-9_-]" + (fifo ? " and the .fifo suffix" : ""));
            }
        }
    }

    static Duration wholeSeconds(String field, @Nullable String queue, @Nullable Duration value, Duration min, Duration max) {
        requireNonNull(field, queue, value);
        String where = queue == null ? "" : " (queue '" + queue + "')";
        if (value.getNano() != 0) {
            throw new ValidationException(field, queue, field + " is " + seconds(value) + where
                    + "; it must be a whole number of seconds");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ValidationException(field, queue, field + " is " + seconds(value) + where + "; it must be "
                    + seconds(min) + " to " + seconds(max));
        }
        return value;
    }

    /**
     * Checks a message against the queue it is sent to, and returns it as a backend receives it:
     * on a FIFO queue with content-based deduplication and no deduplication id, the id is the
     * SHA-256 of the body.
     */
    static OutgoingMessage message(QueueSpec queue, @Nullable OutgoingMessage message) {
        String q = queue.name();
        requireNonNull("message", q, message);
        long bodyBytes = text("body", q, message.body());
        if (bodyBytes < Limits.MIN_BODY_BYTES) {
            throw new ValidationException("body", q, "body is empty (0 bytes); a message to queue '" + q
                    + "' needs at least " + Limits.MIN_BODY_BYTES + " byte");
        }
        long attributeBytes = attributes(q, message.attributes());
        long size = bodyBytes + attributeBytes;
        if (size > queue.maxMessageSize()) {
            throw new ValidationException("body", q, "message is " + size + " bytes (body " + bodyBytes
                    + ", attributes " + attributeBytes + "), over the limit of " + queue.maxMessageSize()
                    + " bytes (maxMessageSize) of queue '" + q + "'");
        }
        if (!queue.fifo()) {
            if (message.groupId() != null) {
                throw new ValidationException("groupId", q, "groupId is set but queue '" + q
                        + "' is a standard queue; only FIFO queues take a message group");
            }
            if (message.deduplicationId() != null) {
                throw new ValidationException("deduplicationId", q, "deduplicationId is set but queue '" + q
                        + "' is a standard queue; only FIFO queues deduplicate");
            }
            if (message.delay() != null) {
                wholeSeconds("delay", q, message.delay(), Duration.ZERO, Limits.MAX_DELAY);
            }
            return message;
        }
        if (message.groupId() == null) {
            throw new ValidationException("groupId", q, "groupId is missing; every message to FIFO queue '" + q + "' needs one");
        }
        id("groupId", q, message.groupId());
        if (message.delay() != null) {
            throw new ValidationException("delay", q, "delay is " + seconds(message.delay()) + " but FIFO queue '" + q
                    + "' takes no per-message delay; give the queue a delay instead");
        }
        if (message.deduplicationId() != null) {
            id("deduplicationId", q, message.deduplicationId());
            return message;
        }
        if (!queue.contentBasedDeduplication()) {
            throw new ValidationException("deduplicationId", q, "deduplicationId is missing; FIFO queue '" + q
                    + "' has no content-based deduplication, so every message needs one");
        }
        return message.toBuilder().deduplicationId(sha256Hex(message.body())).build();
    }

    /** Checks a receive and resolves its defaults from the queue. */
    static ReceiveRequest receive(QueueSpec queue, @Nullable ReceiveRequest request) {
        String q = queue.name();
        requireNonNull("request", q, request);
        if (request.maxMessages() < 1 || request.maxMessages() > Limits.MAX_RECEIVE_MESSAGES) {
            throw new ValidationException("maxMessages", q, "maxMessages is " + request.maxMessages()
                    + "; it must be 1 to " + Limits.MAX_RECEIVE_MESSAGES);
        }
        Duration wait = request.waitTime() == null ? queue.receiveWaitTime()
                : wholeSeconds("waitTime", q, request.waitTime(), Duration.ZERO, Limits.MAX_WAIT_TIME);
        Duration visibility = request.visibilityTimeout() == null ? queue.visibilityTimeout()
                : visibility("visibilityTimeout", q, request.visibilityTimeout());
        return new ReceiveRequest(request.maxMessages(), wait, visibility);
    }

    static Duration visibility(String field, String queue, @Nullable Duration timeout) {
        return wholeSeconds(field, queue, timeout, Duration.ZERO, Limits.MAX_VISIBILITY_TIMEOUT);
    }

    static String receipt(String queue, @Nullable String receipt) {
        requireNonNull("receipt", queue, receipt);
        if (receipt.isBlank()) {
            throw new ValidationException("receipt", queue, "receipt is empty; pass the receipt of a message received from queue '"
                    + queue + "'");
        }
        return receipt;
    }

    static VisibilityChange visibilityChange(String queue, @Nullable VisibilityChange change) {
        requireNonNull("change", queue, change);
        receipt(queue, change.receipt());
        visibility("timeout", queue, change.timeout());
        return change;
    }

    /** Checks a redrive of {@code queue} and returns the destination's spec, or null for "each message's source". */
    static @Nullable QueueSpec redrive(Topology topology, QueueSpec queue, @Nullable RedriveRequest request) {
        String q = queue.name();
        requireNonNull("request", q, request);
        if (topology.sourcesOf(q).isEmpty()) {
            throw new ValidationException("queue", q, "queue '" + q + "' is no queue's dead-letter queue, so it has nothing to redrive");
        }
        Integer rate = request.maxMessagesPerSecond();
        if (rate != null && (rate < 1 || rate > Limits.MAX_REDRIVE_RATE)) {
            throw new ValidationException("maxMessagesPerSecond", q, "maxMessagesPerSecond is " + rate + "; it must be 1 to "
                    + Limits.MAX_REDRIVE_RATE);
        }
        if (request.destination() == null) {
            return null;
        }
        QueueSpec destination = topology.queue(request.destination());
        if (destination.name().equals(q)) {
            throw new ValidationException("destination", q, "destination is queue '" + q + "' itself");
        }
        if (destination.fifo() != queue.fifo()) {
            throw new ValidationException("destination", q, "destination '" + destination.name() + "' is "
                    + (destination.fifo() ? "FIFO" : "standard") + " but queue '" + q + "' is "
                    + (queue.fifo() ? "FIFO" : "standard") + "; a redrive keeps the type");
        }
        return destination;
    }

    /** Checks attributes and returns the bytes they add to the message size. */
    private static long attributes(String queue, Map<String, String> attributes) {
        if (attributes.size() > Limits.MAX_ATTRIBUTES) {
            throw new ValidationException("attributes", queue, "attributes has " + attributes.size()
                    + " entries; the limit is " + Limits.MAX_ATTRIBUTES);
        }
        long bytes = 0;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            String name = e.getKey();
            attributeName(queue, name);
            String field = "attributes[" + name + "]";
            long valueBytes = text(field, queue, e.getValue());
            if (valueBytes == 0) {
                throw new ValidationException(field, queue, field + " is empty; attribute values need at least 1 character");
            }
            bytes += name.length() + Limits.ATTRIBUTE_TYPE_BYTES + valueBytes;
        }
        return bytes;
    }

    private static void attributeName(String queue, @Nullable String name) {
        String field = "attributes";
        if (name == null) {
            throw new ValidationException(field, queue, "attributes: a name is null; names must be 1 to "
                    + Limits.MAX_ATTRIBUTE_NAME_LENGTH + " characters");
        }
        if (name.isEmpty() || name.length() > Limits.MAX_ATTRIBUTE_NAME_LENGTH) {
            throw new ValidationException(field, queue, "attributes: name '" + printable(name) + "' is " + name.length()
                    + " characters; it must be 1 to " + Limits.MAX_ATTRIBUTE_NAME_LENGTH);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                throw new ValidationException(field, queue, "attributes: name '" + printable(name) + "' contains " + describe(c)
                        + " at index " + i + "; allowed are [A-Za-z0-9_.-]");
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            throw new ValidationException(field, queue, "attributes: name '" + printable(name)
                    + "' may not start or end with a period, nor contain two in a row");
        }
        if (lower.startsWith("aws.") || lower.startsWith("amazon.") || lower.startsWith(Limits.RESERVED_ATTRIBUTE_PREFIX)) {
            throw new ValidationException(field, queue, "attributes: name '" + printable(name)
                    + "' uses a reserved prefix (AWS., Amazon., " + Limits.RESERVED_ATTRIBUTE_PREFIX + ")");
        }
    }

    /** Checks the characters of a body or attribute value and returns its UTF-8 size. */
    private static long text(String field, String queue, @Nullable String value) {
        requireNonNull(field, queue, value);
        long bytes = 0;
        for (int i = 0; i < value.length(); ) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i += 2;
                continue;
            }
            if (Character.isSurrogate(c)) {
                throw new ValidationException(field, queue, field + " contains an unpaired surrogate " + hex(c) + " at index " + i
                        + "; text must be valid UTF-16");
            }
            if (!(c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD)) {
                throw new ValidationException(field, queue, field + " contains " + describe(c) + " at index " + i
                        + ", which is not allowed; allowed are " + TEXT_CHARACTERS);
            }
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            i++;
        }
        return bytes;
    }

    private static void id(String field, String queue, String value) {
        if (value.isEmpty() || value.length() > Limits.MAX_ID_LENGTH) {
            throw new ValidationException(field, queue, field + " is " + value.length() + " characters; it must be 1 to "
                    + Limits.MAX_ID_LENGTH);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new ValidationException(field, queue, field + " contains " + describe(c) + " at index " + i
                        + "; allowed are " + ID_CHARACTERS);
            }
        }
    }

    static String sha256Hex(String body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The duration in seconds, exactly: {@code "2 s"}, {@code "1.5 s"}, {@code "0.000000001 s"}. */
    static String seconds(Duration d) {
        if (d.getNano() == 0) {
            return d.getSeconds() + " s";
        }
        return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9)).stripTrailingZeros().toPlainString() + " s";
    }

    private static String describe(char c) {
        return c >= 0x21 && c <= 0x7E ? "'" + c + "' (" + hex(c) + ")" : hex(c);
    }

    private static String hex(char c) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }

    /**
     * {@code s} as an error message may repeat it: at most 40 characters, and every character
     * outside printable ASCII as a Java escape (backslash, u, four hex digits), so that a hostile
     * value cannot forge log lines.
     */
    static String printable(String s) {
        String head = s.length() <= 40 ? s : s.substring(0, 40);
        StringBuilder out = new StringBuilder(head.length() + 8);
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c >= 0x20 && c <= 0x7E) {
                out.append(c);
            } else {
                out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            }
        }
        return s.length() <= 40 ? out.toString() : out.append("…").toString();
    }
}
