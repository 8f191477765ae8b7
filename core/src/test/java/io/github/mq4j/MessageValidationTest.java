package io.github.mq4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The limits of a message (DESIGN.md point 11 and the FIFO rules), each fed at, just under and
 * just over its bound through {@link MessageQueue#send(OutgoingMessage)}: the bound passes, the
 * violation is a {@link ValidationException} naming field, limit and size, and never reaches the backend.
 */
class MessageValidationTest extends RecordingQueueTest {
    private static final String SMALL = "small";
    private static final String DEFAULT_SIZE = "default-size";
    private static final String LARGEST = "largest";
    private static final String FIFO = "ordered.fifo";
    private static final String CONTENT_FIFO = "content.fifo";

    @Override
    protected Topology topology() {
        return Topology.of(
                QueueSpec.standard(SMALL).maxMessageSize(Limits.MIN_MAX_MESSAGE_SIZE).build(),
                QueueSpec.standard(DEFAULT_SIZE).build(),
                QueueSpec.standard(LARGEST).maxMessageSize(Limits.MAX_MAX_MESSAGE_SIZE).build(),
                QueueSpec.fifo(FIFO).build(),
                QueueSpec.fifo(CONTENT_FIFO).contentBasedDeduplication(true).build());
    }

    private void send(String queue, OutgoingMessage message) {
        queue(queue).send(message);
    }

    private void send(String queue, String body) {
        queue(queue).send(body);
    }

    @Test
    void send_nullMessage_isRejected() {
        rejected("message", () -> queue(SMALL).send((OutgoingMessage) null), "null");
    }

    @Nested
    class Body {
        @Test
        void send_emptyBody_isRejected() {
            rejected("body", () -> send(SMALL, ""), "0 bytes", "at least 1 byte", "'small'");
        }

        @Test
        void send_oneByteBody_isAccepted() {
            accepted(() -> send(SMALL, "x"));
            assertThat(calls.lastSent()).extracting(OutgoingMessage::body).containsExactly("x");
        }

        @Test
        void send_bodyOfExactlyMaxMessageSize_isAccepted() {
            accepted(() -> send(SMALL, "x".repeat(1024)));
            accepted(() -> send(DEFAULT_SIZE, "x".repeat(256 * 1024)));
            accepted(() -> send(LARGEST, "x".repeat(1024 * 1024)));
        }

        @Test
        void send_bodyOneByteOverMaxMessageSize_isRejected() {
            rejected("body", () -> send(SMALL, "x".repeat(1025)), "1025 bytes", "1024 bytes", "maxMessageSize", "'small'");
            rejected("body", () -> send(DEFAULT_SIZE, "x".repeat(256 * 1024 + 1)), "262145 bytes", "262144 bytes");
            rejected("body", () -> send(LARGEST, "x".repeat(1024 * 1024 + 1)), "1048577 bytes", "1048576 bytes");
        }

        @Test
        void send_sizeCountsUtf8BytesNotCharacters() {
            accepted(() -> send(SMALL, "é".repeat(512)));               // 2 bytes each: 1024
            accepted(() -> send(SMALL, "😀".repeat(256)));              // 4 bytes each: 1024
            rejected("body", () -> send(SMALL, "€".repeat(341) + "ab"), "1025 bytes");  // 3 * 341 + 2
            rejected("body", () -> send(SMALL, "😀".repeat(256) + "a"), "1025 bytes");
        }

        @Test
        void send_attributesCountTowardsTheSize() {
            // attribute "k" = "v" adds 1 (name) + 6 ("String") + 1 (value) = 8 bytes
            OutgoingMessage fits = OutgoingMessage.builder("x".repeat(1016)).attribute("k", "v").build();
            OutgoingMessage over = OutgoingMessage.builder("x".repeat(1017)).attribute("k", "v").build();
            accepted(() -> send(SMALL, fits));
            rejected("body", () -> send(SMALL, over), "1025 bytes", "body 1017", "attributes 8", "1024 bytes");
        }

        @Test
        void send_attributeValuesCountInUtf8Bytes() {
            // attribute "k" = "é" adds 1 + 6 + 2 = 9 bytes
            accepted(() -> send(SMALL, OutgoingMessage.builder("x".repeat(1015)).attribute("k", "é").build()));
            rejected("body", () -> send(SMALL, OutgoingMessage.builder("x".repeat(1016)).attribute("k", "é").build()),
                    "1025 bytes", "body 1016", "attributes 9");
        }

        static Stream<Arguments> forbiddenCharacters() {
            return Stream.of(
                    Arguments.of("\u0000", "U+0000"),
                    Arguments.of("\u0008", "U+0008"),
                    Arguments.of("\u000B", "U+000B"),
                    Arguments.of("\u000C", "U+000C"),
                    Arguments.of("\u001F", "U+001F"),
                    Arguments.of("\uFFFE", "U+FFFE"),
                    Arguments.of("\uFFFF", "U+FFFF"),
                    Arguments.of("\uD800", "U+D800"),          // unpaired high surrogate
                    Arguments.of("\uDBFF", "U+DBFF"),          // unpaired high surrogate
                    Arguments.of("\uD83Dx", "U+D83D"),         // high surrogate followed by no low one
                    Arguments.of("\uDC00", "U+DC00"),          // unpaired low surrogate
                    Arguments.of("\uDFFF", "U+DFFF"),          // unpaired low surrogate
                    Arguments.of("\uDE00\uD83D", "U+DE00"));   // a pair in the wrong order
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("forbiddenCharacters")
        void send_bodyWithForbiddenCharacter_isRejectedNamingCharacterAndIndex(String character, String code) {
            rejected("body", () -> send(DEFAULT_SIZE, "ok" + character + "ok"), code, "index 2");
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("forbiddenCharacters")
        void send_bodyWithForbiddenCharacterAtTheEnd_isRejected(String character, String code) {
            rejected("body", () -> send(DEFAULT_SIZE, "ok" + character), code, "index 2");
        }

        @Test
        void send_forbiddenCharacterMessage_namesTheAllowedRanges() {
            rejected("body", () -> send(DEFAULT_SIZE, "\u0001"), "#x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF");
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "\t", "\n", "\r", " ", "~", "\u007F", "\u0080", "\uD7FF", "\uE000", "\uFFFD",
            "😀", "\uD800\uDC00", "\uDBFF\uDFFF", "tab\there\r\nline"
        })
        void send_bodyWithAllowedCharacters_isAcceptedUnchanged(String body) {
            accepted(() -> send(DEFAULT_SIZE, body));
            assertThat(calls.lastSent().get(0).body()).isEqualTo(body);
        }
    }

    @Nested
    class Attributes {
        private Map<String, String> attributes(int count) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                m.put("a" + i, "v" + i);
            }
            return m;
        }

        @Test
        void send_tenAttributes_isAcceptedAndPassedOn() {
            accepted(() -> send(DEFAULT_SIZE, OutgoingMessage.builder("x").attributes(attributes(10)).build()));
            assertThat(calls.lastSent().get(0).attributes()).isEqualTo(attributes(10));
        }

        @Test
        void send_elevenAttributes_isRejected() {
            rejected("attributes", () -> send(DEFAULT_SIZE, OutgoingMessage.builder("x").attributes(attributes(11)).build()),
                    "11 entries", "limit is 10");
        }

        private void sendWithAttribute(String name, String value) {
            send(DEFAULT_SIZE, OutgoingMessage.builder("x").attribute(name, value).build());
        }

        @ParameterizedTest
        @ValueSource(strings = {"a", "Z", "9", "a-b", "a_b", "a.b", "trace-id", "Content.Type_2", "AWSx", "Amazonia", "mq4jx", "x.AWS.y"})
        void send_validAttributeName_isAccepted(String name) {
            accepted(() -> sendWithAttribute(name, "v"));
        }

        @Test
        void send_attributeNameOf256Characters_isAccepted() {
            accepted(() -> sendWithAttribute("n".repeat(256), "v"));
        }

        @Test
        void send_attributeNameOf257Characters_isRejected() {
            rejected("attributes", () -> sendWithAttribute("n".repeat(257), "v"), "257 characters", "1 to 256");
        }

        @Test
        void send_emptyAttributeName_isRejected() {
            rejected("attributes", () -> sendWithAttribute("", "v"), "0 characters", "1 to 256");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a b", "a/b", "a$b", "a:b", "é", "a\u0000"})
        void send_attributeNameWithForbiddenCharacter_isRejected(String name) {
            rejected("attributes", () -> sendWithAttribute(name, "v"), "[A-Za-z0-9_.-]", "index");
        }

        @ParameterizedTest
        @ValueSource(strings = {".a", "a.", "a..b", "."})
        void send_attributeNameWithMisplacedPeriod_isRejected(String name) {
            rejected("attributes", () -> sendWithAttribute(name, "v"), "'" + name + "'", "period");
        }

        @ParameterizedTest
        @ValueSource(strings = {"AWS.trace", "aws.trace", "Aws.x", "Amazon.x", "amazon.x", "AMAZON.x", "mq4j.x", "MQ4J.source"})
        void send_attributeNameWithReservedPrefix_isRejected(String name) {
            rejected("attributes", () -> sendWithAttribute(name, "v"), "'" + name + "'", "reserved prefix", "AWS.", "Amazon.", "mq4j.");
        }

        @Test
        void send_emptyAttributeValue_isRejected() {
            rejected("attributes[k]", () -> sendWithAttribute("k", ""), "empty", "at least 1 character");
        }

        @Test
        void send_attributeValueWithForbiddenCharacter_isRejected() {
            rejected("attributes[k]", () -> sendWithAttribute("k", "a\u0000"), "U+0000", "index 1");
            rejected("attributes[k]", () -> sendWithAttribute("k", "a\uD800"), "U+D800", "index 1");
        }

        @Test
        void send_nullAttributeNameOrValue_isRejected() {
            Map<String, String> nullValue = new HashMap<>();
            nullValue.put("k", null);
            rejected("attributes[k]", () -> send(DEFAULT_SIZE, new OutgoingMessage("x", nullValue, null, null, null)), "null");
            Map<String, String> nullName = new HashMap<>();
            nullName.put(null, "v");
            rejected("attributes", () -> send(DEFAULT_SIZE, new OutgoingMessage("x", nullName, null, null, null)), "null");
        }

        @Test
        void send_attributeValueWithSupplementaryCharacter_isAccepted() {
            accepted(() -> sendWithAttribute("k", "😀\t\n"));
        }
    }

    @Nested
    class Ids {
        static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

        private OutgoingMessage withId(String field, String id) {
            OutgoingMessage.Builder b = OutgoingMessage.builder("x");
            return field.equals("groupId") ? b.groupId(id).deduplicationId("d").build() : b.groupId("g").deduplicationId(id).build();
        }

        static Stream<String> fields() {
            return Stream.of("groupId", "deduplicationId");
        }

        @ParameterizedTest
        @MethodSource("fields")
        void send_idOfOneAnd128Characters_isAccepted(String field) {
            accepted(() -> send(FIFO, withId(field, "a")));
            accepted(() -> send(FIFO, withId(field, "a".repeat(128))));
        }

        @ParameterizedTest
        @MethodSource("fields")
        void send_idOf129Characters_isRejected(String field) {
            rejected(field, () -> send(FIFO, withId(field, "a".repeat(129))), "129 characters", "1 to 128");
        }

        @ParameterizedTest
        @MethodSource("fields")
        void send_emptyId_isRejected(String field) {
            rejected(field, () -> send(FIFO, withId(field, "")), "0 characters", "1 to 128");
        }

        static Stream<Arguments> forbidden() {
            return fields().flatMap(f -> Stream.of(
                    Arguments.of(f, "a b", "U+0020"),
                    Arguments.of(f, "a\tb", "U+0009"),
                    Arguments.of(f, "\u007F", "U+007F"),
                    Arguments.of(f, "ä", "U+00E4"),
                    Arguments.of(f, "😀", "U+D83D"),
                    Arguments.of(f, "a\u0000", "U+0000")));
        }

        @ParameterizedTest(name = "{0} \"{1}\"")
        @MethodSource("forbidden")
        void send_idWithForbiddenCharacter_isRejected(String field, String id, String code) {
            rejected(field, () -> send(FIFO, withId(field, id)), code, "allowed are letters, digits and " + PUNCTUATION);
        }

        static Stream<Arguments> allowedPunctuation() {
            return fields().flatMap(f -> PUNCTUATION.chars().mapToObj(c -> Arguments.of(f, String.valueOf((char) c))));
        }

        @ParameterizedTest(name = "{0} with {1}")
        @MethodSource("allowedPunctuation")
        void send_idWithAllowedPunctuation_isAccepted(String field, String character) {
            accepted(() -> send(FIFO, withId(field, "a" + character + "b")));
        }

        @ParameterizedTest
        @MethodSource("fields")
        void send_idOfLettersDigitsAndAllPunctuation_isAcceptedUnchanged(String field) {
            String id = "AZaz09" + PUNCTUATION;
            accepted(() -> send(FIFO, withId(field, id)));
            OutgoingMessage sent = calls.lastSent().get(0);
            assertThat(field.equals("groupId") ? sent.groupId() : sent.deduplicationId()).isEqualTo(id);
        }
    }

    @Nested
    class FifoRules {
        @Test
        void send_fifoWithoutGroupId_isRejected() {
            rejected("groupId", () -> send(FIFO, OutgoingMessage.builder("x").deduplicationId("d").build()), "missing", "'ordered.fifo'");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, 1, 900})
        void send_fifoWithPerMessageDelay_isRejectedEvenZero(long seconds) {
            rejected("delay", () -> send(FIFO, OutgoingMessage.builder("x").groupId("g").deduplicationId("d")
                    .delay(Duration.ofSeconds(seconds)).build()), seconds + " s", "no per-message delay");
        }

        @Test
        void send_fifoWithoutDeduplicationIdOnQueueWithoutContentBasedDeduplication_isRejected() {
            rejected("deduplicationId", () -> send(FIFO, OutgoingMessage.builder("x").groupId("g").build()),
                    "missing", "content-based deduplication");
        }

        @Test
        void send_fifoWithGroupAndDeduplicationId_passesBothOn() {
            accepted(() -> send(FIFO, OutgoingMessage.builder("x").groupId("g-1").deduplicationId("d-1").build()));
            OutgoingMessage sent = calls.lastSent().get(0);
            assertThat(sent.groupId()).isEqualTo("g-1");
            assertThat(sent.deduplicationId()).isEqualTo("d-1");
            assertThat(sent.delay()).isNull();
        }

        static Stream<Arguments> sha256Vectors() {
            return Stream.of(
                    Arguments.of("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                    Arguments.of("The quick brown fox jumps over the lazy dog",
                            "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
                    // UTF-8, not UTF-16 or the platform charset; computed with sha256sum
                    Arguments.of("héllo wörld ✓ 😀", "23e0a0c5e66366c058e29407717008da83f9004340e71ff074bb24bd4b80eb2a"));
        }

        @ParameterizedTest(name = "\"{0}\"")
        @MethodSource("sha256Vectors")
        void send_contentBasedDeduplication_fillsInLowercaseHexSha256OfTheUtf8Body(String body, String sha256) {
            OutgoingMessage message = OutgoingMessage.builder(body).groupId("g").attribute("k", "v").build();
            accepted(() -> send(CONTENT_FIFO, message));
            OutgoingMessage sent = calls.lastSent().get(0);
            assertThat(sent.deduplicationId()).isEqualTo(sha256);
            assertThat(sent.body()).isEqualTo(body);
            assertThat(sent.groupId()).isEqualTo("g");
            assertThat(sent.attributes()).containsExactly(Map.entry("k", "v"));
            assertThat(message.deduplicationId()).as("the caller's message is unchanged").isNull();
        }

        @Test
        void send_contentBasedDeduplication_keepsAGivenDeduplicationId() {
            accepted(() -> send(CONTENT_FIFO, OutgoingMessage.builder("abc").groupId("g").deduplicationId("mine").build()));
            assertThat(calls.lastSent().get(0).deduplicationId()).isEqualTo("mine");
        }

        @Test
        void send_contentBasedDeduplication_stillNeedsAGroupId() {
            rejected("groupId", () -> send(CONTENT_FIFO, "abc"), "missing");
        }
    }

    @Nested
    class StandardQueue {
        @Test
        void send_standardWithGroupId_isRejected() {
            rejected("groupId", () -> send(DEFAULT_SIZE, OutgoingMessage.builder("x").groupId("g").build()), "standard queue");
        }

        @Test
        void send_standardWithDeduplicationId_isRejected() {
            rejected("deduplicationId", () -> send(DEFAULT_SIZE, OutgoingMessage.builder("x").deduplicationId("d").build()),
                    "standard queue");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, 1, 899, 900})
        void send_standardWithDelayWithinZeroTo900Seconds_isAcceptedAndPassedOn(long seconds) {
            accepted(() -> send(DEFAULT_SIZE, OutgoingMessage.builder("x").delay(Duration.ofSeconds(seconds)).build()));
            assertThat(calls.lastSent().get(0).delay()).isEqualTo(Duration.ofSeconds(seconds));
        }

        @Test
        void send_standardWithoutDelay_passesNullSoTheQueueDelayApplies() {
            accepted(() -> send(DEFAULT_SIZE, "x"));
            assertThat(calls.lastSent().get(0).delay()).isNull();
        }

        @Test
        void send_standardWithDelayOf901Seconds_isRejected() {
            rejected("delay", () -> send(DEFAULT_SIZE, OutgoingMessage.builder("x").delay(Duration.ofSeconds(901)).build()),
                    "901 s", "0 s to 900 s", "'default-size'");
        }

        @Test
        void send_standardWithNegativeDelay_isRejected() {
            rejected("delay", () -> send(DEFAULT_SIZE, OutgoingMessage.builder("x").delay(Duration.ofSeconds(-1)).build()),
                    "-1 s", "0 s to 900 s");
        }

        @Test
        void send_standardWithFractionalDelay_isRejectedNotRounded() {
            rejected("delay", () -> send(DEFAULT_SIZE, OutgoingMessage.builder("x").delay(Duration.ofMillis(1500)).build()),
                    "1.5 s", "whole number of seconds");
            rejected("delay", () -> send(DEFAULT_SIZE, OutgoingMessage.builder("x").delay(Duration.ofNanos(1)).build()),
                    "0.000000001 s", "whole number of seconds");
        }
    }
}
