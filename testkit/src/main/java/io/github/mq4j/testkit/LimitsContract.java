package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.CONTENT_FIFO;
import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.LARGE;
import static io.github.mq4j.testkit.TestTopology.SMALL;
import static io.github.mq4j.testkit.TestTopology.SMALL_MAX_MESSAGE_SIZE;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Limits and bad input, through the real client: every violation is a {@link ValidationException}
 * (an {@link IllegalArgumentException}) that names the field, the limit and the offending size or
 * value, and nothing reaches the queue. Values exactly at a limit are accepted.
 */
public abstract class LimitsContract extends ConformanceTest {

    /**
     * Asserts that {@code call} throws a {@link ValidationException} for {@code field} on
     * {@code queue} whose message contains each of {@code mentions}, and that the queue is still empty.
     */
    protected final void assertRejected(MessageQueue queue, String field, ThrowingCallable call, String... mentions) {
        assertValidationError(queue, field, call, mentions);
        assertQueueEmpty(queue);
    }

    // ---------------------------------------------------------------- body

    @Test
    void body_empty_isRejected() {
        MessageQueue q = queue(STANDARD);
        assertRejected(q, "body", () -> q.send(""), "0 bytes");
    }

    @Test
    void body_overQueueMaximumSize_isRejectedWithSizeAndLimit() {
        MessageQueue q = queue(SMALL);
        assertRejected(q, "body", () -> q.send("x".repeat(SMALL_MAX_MESSAGE_SIZE + 1)),
                String.valueOf(SMALL_MAX_MESSAGE_SIZE + 1), String.valueOf(SMALL_MAX_MESSAGE_SIZE));
    }

    @Test
    void body_atQueueMaximumSize_isAccepted() {
        MessageQueue q = queue(SMALL);
        String body = "x".repeat(SMALL_MAX_MESSAGE_SIZE);

        q.send(body);

        assertThat(receiveOne(q).body()).isEqualTo(body);
    }

    @Test
    void body_justUnderQueueMaximumSize_isAccepted() {
        MessageQueue q = queue(SMALL);
        String body = "x".repeat(SMALL_MAX_MESSAGE_SIZE - 1);

        q.send(body);

        assertThat(receiveOne(q).body()).isEqualTo(body);
    }

    @Test
    void body_ofOneByte_isAccepted() {
        MessageQueue q = queue(STANDARD);

        q.send("x");

        assertThat(receiveOne(q).body()).isEqualTo("x");
    }

    @Test
    void body_ofOneMebibyteAndJustUnder_areAcceptedOnAQueueOfThatMaximum() {
        MessageQueue q = queue(LARGE);
        String max = "m".repeat(Limits.MAX_MAX_MESSAGE_SIZE);
        String under = "u".repeat(Limits.MAX_MAX_MESSAGE_SIZE - 1);

        q.send(max);
        q.send(under);

        List<ReceivedMessage> received = receiveAll(q, 2);
        assertThat(received).extracting(m -> m.body().length()).containsExactlyInAnyOrder(max.length(), under.length());
        assertThat(received).extracting(ReceivedMessage::body).containsExactlyInAnyOrder(max, under);
    }

    @Test
    void body_ofOneMebibytePlusOneByte_isRejected() {
        MessageQueue q = queue(LARGE);
        assertRejected(q, "body", () -> q.send("x".repeat(Limits.MAX_MAX_MESSAGE_SIZE + 1)),
                String.valueOf(Limits.MAX_MAX_MESSAGE_SIZE + 1), String.valueOf(Limits.MAX_MAX_MESSAGE_SIZE));
    }

    @Test
    void body_overDefaultMaximumSize_isRejected() {
        MessageQueue q = queue(STANDARD);
        assertRejected(q, "body", () -> q.send("x".repeat(Limits.DEFAULT_MAX_MESSAGE_SIZE + 1)),
                String.valueOf(Limits.DEFAULT_MAX_MESSAGE_SIZE + 1), String.valueOf(Limits.DEFAULT_MAX_MESSAGE_SIZE));
    }

    @Test
    void body_sizeCountsUtf8BytesNotCharacters() {
        MessageQueue q = queue(SMALL);
        String euros = "\u20ac".repeat(342);
        assertThat(euros.length()).isLessThan(SMALL_MAX_MESSAGE_SIZE);

        assertRejected(q, "body", () -> q.send(euros), String.valueOf(342 * 3));
    }

    @Test
    void body_sizeIncludesAttributes() {
        MessageQueue q = queue(SMALL);
        String body = "x".repeat(SMALL_MAX_MESSAGE_SIZE - 10);
        OutgoingMessage message = OutgoingMessage.builder(body).attribute("name", "value").build();

        assertRejected(q, "body", () -> q.send(message), String.valueOf(SMALL_MAX_MESSAGE_SIZE));
    }

    @Test
    void body_withNulCharacter_isRejected() {
        MessageQueue q = queue(STANDARD);
        assertRejected(q, "body", () -> q.send("a\u0000b"), "U+0000");
    }

    @Test
    void body_withControlCharacter_isRejected() {
        MessageQueue q = queue(STANDARD);
        assertRejected(q, "body", () -> q.send("bell\u0007"), "U+0007");
    }

    @Test
    void body_withUnpairedSurrogate_isRejected() {
        MessageQueue q = queue(STANDARD);
        assertRejected(q, "body", () -> q.send("broken \ud800 pair"), "U+D800");
    }

    @Test
    void body_withNonCharacterFffe_isRejected() {
        MessageQueue q = queue(STANDARD);
        assertRejected(q, "body", () -> q.send("\ufffe"), "U+FFFE");
    }

    @Test
    void message_null_isRejected() {
        MessageQueue q = queue(STANDARD);
        assertThatThrownBy(() -> q.send((OutgoingMessage) null))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("message"));
        assertQueueEmpty(q);
    }

    // ---------------------------------------------------------------- attributes

    @Test
    void attributes_moreThanTen_areRejectedWithCount() {
        MessageQueue q = queue(STANDARD);
        assertRejected(q, "attributes", () -> q.send(withAttributes("body", Limits.MAX_ATTRIBUTES + 1)),
                String.valueOf(Limits.MAX_ATTRIBUTES + 1), String.valueOf(Limits.MAX_ATTRIBUTES));
    }

    @Test
    void attributes_exactlyTen_areAccepted() {
        MessageQueue q = queue(STANDARD);

        q.send(withAttributes("body", Limits.MAX_ATTRIBUTES));

        assertThat(receiveOne(q).attributes()).hasSize(Limits.MAX_ATTRIBUTES);
    }

    @Test
    void attributeName_ofMaximumLength_isAccepted() {
        MessageQueue q = queue(STANDARD);
        String name = "n".repeat(Limits.MAX_ATTRIBUTE_NAME_LENGTH);

        q.send(OutgoingMessage.builder("body").attribute(name, "v").build());

        assertThat(receiveOne(q).attributes()).containsExactly(Map.entry(name, "v"));
    }

    @Test
    void attributeName_withInvalidCharacter_isRejected() {
        MessageQueue q = queue(STANDARD);
        OutgoingMessage m = OutgoingMessage.builder("body").attribute("bad name", "v").build();
        assertRejected(q, "attributes", () -> q.send(m), "bad name");
    }

    @Test
    void attributeName_withReservedPrefix_isRejected() {
        MessageQueue q = queue(STANDARD);
        for (String name : new String[] {"AWS.trace", "amazon.x", "mq4j.source"}) {
            OutgoingMessage m = OutgoingMessage.builder("body").attribute(name, "v").build();
            assertRejected(q, "attributes", () -> q.send(m), name);
        }
    }

    @Test
    void attributeName_tooLong_isRejected() {
        MessageQueue q = queue(STANDARD);
        String name = "n".repeat(Limits.MAX_ATTRIBUTE_NAME_LENGTH + 1);
        OutgoingMessage m = OutgoingMessage.builder("body").attribute(name, "v").build();
        assertRejected(q, "attributes", () -> q.send(m), String.valueOf(Limits.MAX_ATTRIBUTE_NAME_LENGTH + 1));
    }

    @Test
    void attributeName_withLeadingOrDoublePeriod_isRejected() {
        MessageQueue q = queue(STANDARD);
        for (String name : new String[] {".lead", "trail.", "dou..ble"}) {
            OutgoingMessage m = OutgoingMessage.builder("body").attribute(name, "v").build();
            assertRejected(q, "attributes", () -> q.send(m), name);
        }
    }

    @Test
    void attributeValue_empty_isRejected() {
        MessageQueue q = queue(STANDARD);
        OutgoingMessage m = OutgoingMessage.builder("body").attribute("key", "").build();
        assertRejected(q, "attributes[key]", () -> q.send(m), "empty");
    }

    @Test
    void attributeValue_withInvalidCharacter_isRejected() {
        MessageQueue q = queue(STANDARD);
        OutgoingMessage m = OutgoingMessage.builder("body").attribute("key", "x\u0001").build();
        assertRejected(q, "attributes[key]", () -> q.send(m), "U+0001");
    }

    // ---------------------------------------------------------------- group and deduplication ids

    @Test
    void groupId_onStandardQueue_isRejected() {
        MessageQueue q = queue(STANDARD);
        assertRejected(q, "groupId", () -> q.send(OutgoingMessage.builder("b").groupId("g").build()), STANDARD);
    }

    @Test
    void deduplicationId_onStandardQueue_isRejected() {
        MessageQueue q = queue(STANDARD);
        assertRejected(q, "deduplicationId", () -> q.send(OutgoingMessage.builder("b").deduplicationId("d").build()));
    }

    @Test
    void groupId_missingOnFifoQueue_isRejected() {
        MessageQueue q = queue(FIFO);
        assertRejected(q, "groupId", () -> q.send(OutgoingMessage.builder("b").deduplicationId("d").build()), FIFO);
    }

    @Test
    void plainSend_onFifoQueue_isRejectedForMissingGroup() {
        MessageQueue q = queue(CONTENT_FIFO);
        assertRejected(q, "groupId", () -> q.send("no group"));
    }

    @Test
    void groupId_tooLong_isRejectedWithLength() {
        MessageQueue q = queue(FIFO);
        OutgoingMessage m = OutgoingMessage.builder("b").groupId("g".repeat(Limits.MAX_ID_LENGTH + 1)).deduplicationId("d").build();
        assertRejected(q, "groupId", () -> q.send(m), String.valueOf(Limits.MAX_ID_LENGTH + 1), String.valueOf(Limits.MAX_ID_LENGTH));
    }

    @Test
    void ids_ofMaximumLengthAndJustUnder_areAccepted() {
        MessageQueue q = queue(FIFO);
        for (int length : new int[] {Limits.MAX_ID_LENGTH, Limits.MAX_ID_LENGTH - 1, 1}) {
            String groupId = "g".repeat(length);
            String dedupId = "d".repeat(length);
            q.send(OutgoingMessage.builder("length " + length).groupId(groupId).deduplicationId(dedupId).build());

            ReceivedMessage m = receiveOne(q);
            assertThat(m.groupId()).isEqualTo(groupId);
            assertThat(m.deduplicationId()).isEqualTo(dedupId);
            q.delete(m);
        }
        assertQueueEmpty(q);
    }

    @Test
    void groupId_empty_isRejected() {
        MessageQueue q = queue(FIFO);
        OutgoingMessage m = OutgoingMessage.builder("b").groupId("").deduplicationId("d").build();
        assertRejected(q, "groupId", () -> q.send(m), "0");
    }

    @Test
    void groupId_withSpaceOrNonAscii_isRejected() {
        MessageQueue q = queue(FIFO);
        for (String groupId : new String[] {"with space", "caf\u00e9", "tab\t"}) {
            OutgoingMessage m = OutgoingMessage.builder("b").groupId(groupId).deduplicationId("d").build();
            assertRejected(q, "groupId", () -> q.send(m));
        }
    }

    @Test
    void deduplicationId_missingWithoutContentBasedDeduplication_isRejected() {
        MessageQueue q = queue(FIFO);
        assertRejected(q, "deduplicationId", () -> q.send(OutgoingMessage.builder("b").groupId("g").build()), FIFO);
    }

    @Test
    void deduplicationId_tooLong_isRejected() {
        MessageQueue q = queue(CONTENT_FIFO);
        OutgoingMessage m = OutgoingMessage.builder("b").groupId("g").deduplicationId("d".repeat(Limits.MAX_ID_LENGTH + 1)).build();
        assertRejected(q, "deduplicationId", () -> q.send(m), String.valueOf(Limits.MAX_ID_LENGTH + 1));
    }

    @Test
    void deduplicationId_withInvalidCharacter_isRejected() {
        MessageQueue q = queue(FIFO);
        OutgoingMessage m = OutgoingMessage.builder("b").groupId("g").deduplicationId("a b").build();
        assertRejected(q, "deduplicationId", () -> q.send(m));
    }

    // ---------------------------------------------------------------- delay

    @Test
    void delay_overNineHundredSeconds_isRejected() {
        MessageQueue q = queue(STANDARD);
        OutgoingMessage m = OutgoingMessage.builder("b").delay(Limits.MAX_DELAY.plusSeconds(1)).build();
        assertRejected(q, "delay", () -> q.send(m), "901", "900");
    }

    @Test
    void delay_ofNineHundredSecondsAndZero_areAccepted() {
        MessageQueue q = queue(STANDARD);

        q.send(OutgoingMessage.builder("late").delay(Limits.MAX_DELAY).build());
        q.send(OutgoingMessage.builder("now").delay(Duration.ZERO).build());

        awaitCounts(q, 1, 0, 1);
        assertThat(receiveOne(q).body()).isEqualTo("now");
    }

    @Test
    void delay_negative_isRejected() {
        MessageQueue q = queue(STANDARD);
        OutgoingMessage m = OutgoingMessage.builder("b").delay(Duration.ofSeconds(-1)).build();
        assertRejected(q, "delay", () -> q.send(m), "-1");
    }

    @Test
    void delay_withFractionOfSecond_isRejectedNotRounded() {
        MessageQueue q = queue(STANDARD);
        OutgoingMessage m = OutgoingMessage.builder("b").delay(Duration.ofMillis(1500)).build();
        assertRejected(q, "delay", () -> q.send(m), "1.5", "whole");
    }

    // ---------------------------------------------------------------- receive

    @Test
    void receive_maxMessagesOutsideOneToTen_isRejected() {
        MessageQueue q = queue(STANDARD);
        q.send("stays");
        for (int max : new int[] {0, -1, Limits.MAX_RECEIVE_MESSAGES + 1}) {
            assertThatThrownBy(() -> q.receive(ReceiveRequest.of(max)))
                    .as("maxMessages %s", max)
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining(String.valueOf(max))
                    .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("maxMessages"));
        }
        assertThat(receiveOne(q).receiveCount()).as("no rejected receive took the message").isEqualTo(1);
    }

    @Test
    void receive_boundsOfMaxMessagesAndWaitTime_areAccepted() {
        MessageQueue q = queue(STANDARD);
        sendNumbered(q, "b", 12);

        assertThat(q.receive(ReceiveRequest.builder().maxMessages(1).waitTime(Limits.MAX_WAIT_TIME).visibilityTimeout(HOLD).build()))
                .hasSize(1);
        List<ReceivedMessage> ten = receiveUpTo(q, Limits.MAX_RECEIVE_MESSAGES, HOLD);
        assertThat(ten).hasSize(Limits.MAX_RECEIVE_MESSAGES);
        assertThat(receiveAll(q, 1)).as("the last of the twelve").hasSize(1);
    }

    @Test
    void receive_waitTimeOverTwentySeconds_isRejected() {
        MessageQueue q = queue(STANDARD);
        q.send("stays");
        assertThatThrownBy(() -> q.receive(ReceiveRequest.of(1, Duration.ofSeconds(21))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("21")
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("waitTime"));
        assertThat(receiveOne(q).receiveCount()).isEqualTo(1);
    }

    @Test
    void receive_waitTimeNegativeOrFractional_isRejected() {
        MessageQueue q = queue(STANDARD);
        for (Duration wait : new Duration[] {Duration.ofSeconds(-1), Duration.ofMillis(500)}) {
            assertThatThrownBy(() -> q.receive(ReceiveRequest.of(1, wait)))
                    .as("wait %s", wait)
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("waitTime"));
        }
    }

    @Test
    void receive_visibilityTimeoutOverTwelveHours_isRejected() {
        MessageQueue q = queue(STANDARD);
        q.send("stays");
        ReceiveRequest request = ReceiveRequest.builder().visibilityTimeout(Limits.MAX_VISIBILITY_TIMEOUT.plusSeconds(1)).build();

        assertThatThrownBy(() -> q.receive(request))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("43201")
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("visibilityTimeout"));
        assertThat(receiveOne(q).receiveCount()).isEqualTo(1);
    }

    @Test
    void receive_visibilityTimeoutFractional_isRejected() {
        MessageQueue q = queue(STANDARD);
        ReceiveRequest request = ReceiveRequest.builder().visibilityTimeout(Duration.ofMillis(2500)).build();

        assertThatThrownBy(() -> q.receive(request))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("2.5")
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("visibilityTimeout"));
    }

    @Test
    void receive_nullRequest_isRejected() {
        MessageQueue q = queue(STANDARD);
        assertThatThrownBy(() -> q.receive(null)).isInstanceOf(ValidationException.class);
    }

    // ---------------------------------------------------------------- receipts and visibility changes

    @Test
    void changeVisibility_overTwelveHours_isRejectedAndChangesNothing() {
        MessageQueue q = queue(STANDARD);
        q.send("m");
        ReceivedMessage m = receiveOne(q, HOLD);

        assertThatThrownBy(() -> q.changeVisibility(m, Limits.MAX_VISIBILITY_TIMEOUT.plusSeconds(1)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("43201")
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("timeout"));

        assertNothingToReceive(q);
        q.changeVisibility(m, Duration.ZERO);
        assertThat(receiveOne(q).receiveCount()).isEqualTo(2);
    }

    @Test
    void changeVisibility_toExactlyTwelveHours_isAccepted() {
        MessageQueue q = queue(STANDARD);
        q.send("m");
        ReceivedMessage m = receiveOne(q, HOLD);

        q.changeVisibility(m, Limits.MAX_VISIBILITY_TIMEOUT);

        awaitCounts(q, 0, 1, 0);
        assertNothingToReceive(q);
        q.changeVisibility(m, Duration.ZERO);
        assertThat(receiveOne(q).receiveCount()).isEqualTo(2);
    }

    @Test
    void changeVisibility_negativeOrFractional_isRejected() {
        MessageQueue q = queue(STANDARD);
        q.send("m");
        ReceivedMessage m = receiveOne(q, HOLD);
        for (Duration timeout : new Duration[] {Duration.ofSeconds(-1), Duration.ofMillis(100)}) {
            assertThatThrownBy(() -> q.changeVisibility(m, timeout))
                    .as("timeout %s", timeout)
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("timeout"));
        }
        assertNothingToReceive(q);
    }

    @Test
    void receipt_blankOrNull_isRejected() {
        MessageQueue q = queue(STANDARD);
        for (String receipt : new String[] {"", "   ", null}) {
            assertThatThrownBy(() -> q.delete(receipt))
                    .as("delete(%s)", receipt)
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("receipt"));
            assertThatThrownBy(() -> q.changeVisibility(receipt, Duration.ZERO))
                    .as("changeVisibility(%s)", receipt)
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("receipt"));
        }
    }

    // ---------------------------------------------------------------- nothing sent

    @Test
    void rejectedSends_leaveEveryQueueEmpty() {
        MessageQueue std = queue(STANDARD);
        MessageQueue fifo = queue(FIFO);
        assertThatThrownBy(() -> std.send("")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> fifo.send("no group")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> std.sendBatch(java.util.List.of(OutgoingMessage.of("\u0000"))).valueOrThrow(0))
                .isInstanceOf(ValidationException.class);

        assertQueueEmpty(std);
        assertQueueEmpty(fifo);
        assertQueueEmpty(queue(TestTopology.STANDARD_DLQ));
    }
}
