package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.CONTENT_FIFO;
import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.GROUP_SCOPE_FIFO;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.BatchResult;
import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.SendResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FIFO deduplication: a send whose deduplication id (given, or the lowercase hex SHA-256 of the
 * body on a queue with content-based deduplication) was first sent less than 5 minutes ago
 * enqueues nothing and returns the first message's id, even if that message was deleted; the
 * window runs from the first send; the scope is the queue or the message group.
 */
public abstract class DeduplicationContract extends ConformanceTest {

    private static final Duration PAST_WINDOW = Limits.DEDUPLICATION_WINDOW.plusSeconds(1);

    @Test
    void secondSendWithSameDeduplicationId_returnsFirstMessageIdAndEnqueuesNothing() {
        MessageQueue q = queue(FIFO);

        SendResult first = q.send(OutgoingMessage.builder("first").groupId("g").deduplicationId("d").build());
        SendResult second = q.send(OutgoingMessage.builder("second").groupId("g").deduplicationId("d").build());

        assertThat(second.messageId()).isEqualTo(first.messageId());
        List<ReceivedMessage> received = receiveAndDeleteAll(q, 1);
        assertThat(received.get(0).body()).isEqualTo("first");
        assertThat(received.get(0).messageId()).isEqualTo(first.messageId());
    }

    @Test
    void duplicate_returnsFirstSequenceNumber() {
        MessageQueue q = queue(FIFO);

        SendResult first = q.send(fifoMessage("g", "once"));
        SendResult second = q.send(fifoMessage("g", "once"));

        assertThat(second.sequenceNumber()).isEqualTo(first.sequenceNumber());
    }

    @Test
    void duplicate_isSuppressedEvenAfterFirstWasDeleted() {
        MessageQueue q = queue(FIFO);
        SendResult first = q.send(fifoMessage("g", "once"));
        q.delete(receiveOne(q));

        SendResult second = q.send(fifoMessage("g", "once"));

        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertQueueEmpty(q);
    }

    @Test
    void duplicate_isSuppressedWhileFirstIsInFlight() {
        MessageQueue q = queue(FIFO);
        SendResult first = q.send(fifoMessage("g", "once"));
        ReceivedMessage held = receiveOne(q, HOLD);

        SendResult second = q.send(fifoMessage("g", "once"));

        assertThat(second.messageId()).isEqualTo(first.messageId());
        q.delete(held);
        assertQueueEmpty(q);
    }

    @Test
    void differentDeduplicationIds_areBothEnqueued() {
        MessageQueue q = queue(FIFO);

        SendResult a = q.send(OutgoingMessage.builder("same body").groupId("g").deduplicationId("d-1").build());
        SendResult b = q.send(OutgoingMessage.builder("same body").groupId("g").deduplicationId("d-2").build());

        assertThat(a.messageId()).isNotEqualTo(b.messageId());
        assertThat(bodies(receiveAndDeleteAll(q, 2))).containsExactly("same body", "same body");
    }

    @Test
    void deduplicationIds_areCaseSensitive() {
        MessageQueue q = queue(FIFO);

        q.send(OutgoingMessage.builder("upper").groupId("g").deduplicationId("ID").build());
        q.send(OutgoingMessage.builder("lower").groupId("g").deduplicationId("id").build());

        assertThat(bodies(receiveAndDeleteAll(q, 2))).containsExactly("upper", "lower");
    }

    @Test
    void queueScope_suppressesSameIdInAnotherGroup() {
        MessageQueue q = queue(FIFO);

        SendResult first = q.send(OutgoingMessage.builder("in a").groupId("a").deduplicationId("d").build());
        SendResult second = q.send(OutgoingMessage.builder("in b").groupId("b").deduplicationId("d").build());

        assertThat(second.messageId()).isEqualTo(first.messageId());
        List<ReceivedMessage> received = receiveAndDeleteAll(q, 1);
        assertThat(received.get(0).groupId()).isEqualTo("a");
    }

    @Test
    void groupScope_allowsSameIdInAnotherGroup() {
        assumeNoGap(KnownGap.DEDUPLICATION_SCOPE_MESSAGE_GROUP);
        MessageQueue q = queue(GROUP_SCOPE_FIFO);

        SendResult a = q.send(OutgoingMessage.builder("same").groupId("a").build());
        SendResult b = q.send(OutgoingMessage.builder("same").groupId("b").build());

        assertThat(a.messageId()).isNotEqualTo(b.messageId());
        List<ReceivedMessage> received = receiveAndDeleteAll(q, 2);
        assertThat(received).extracting(ReceivedMessage::groupId).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void groupScope_suppressesSameIdInSameGroup() {
        MessageQueue q = queue(GROUP_SCOPE_FIFO);

        SendResult first = q.send(OutgoingMessage.builder("same").groupId("a").build());
        SendResult second = q.send(OutgoingMessage.builder("same").groupId("a").build());

        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(receiveAndDeleteAll(q, 1).get(0).messageId()).isEqualTo(first.messageId());
    }

    @Test
    void contentBasedDeduplication_suppressesSameBody() {
        MessageQueue q = queue(CONTENT_FIFO);

        SendResult first = q.send(OutgoingMessage.builder("{\"order\":42}").groupId("g").build());
        SendResult second = q.send(OutgoingMessage.builder("{\"order\":42}").groupId("g").build());

        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(receiveAndDeleteAll(q, 1).get(0).body()).isEqualTo("{\"order\":42}");
    }

    @Test
    void contentBasedDeduplication_deliversDifferentBodies() {
        MessageQueue q = queue(CONTENT_FIFO);

        q.send(OutgoingMessage.builder("one").groupId("g").build());
        q.send(OutgoingMessage.builder("two").groupId("g").build());

        assertThat(bodies(receiveAndDeleteAll(q, 2))).containsExactly("one", "two");
    }

    @Test
    void contentBasedDeduplication_ignoresAttributes() {
        MessageQueue q = queue(CONTENT_FIFO);

        SendResult first = q.send(OutgoingMessage.builder("body").groupId("g").attribute("try", "1").build());
        SendResult second = q.send(OutgoingMessage.builder("body").groupId("g").attribute("try", "2").build());

        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(receiveAndDeleteAll(q, 1).get(0).attribute("try")).isEqualTo("1");
    }

    @Test
    void contentBasedDeduplicationId_isLowercaseHexSha256OfBody() {
        MessageQueue q = queue(CONTENT_FIFO);
        String body = "h\u00e9llo \ud83d\ude00";

        q.send(OutgoingMessage.builder(body).groupId("g").build());

        assertThat(receiveOne(q).deduplicationId()).isEqualTo(sha256Hex(body));
    }

    @Test
    void explicitDeduplicationId_winsOverContent() {
        MessageQueue q = queue(CONTENT_FIFO);

        SendResult a = q.send(OutgoingMessage.builder("same").groupId("g").deduplicationId("one").build());
        SendResult b = q.send(OutgoingMessage.builder("same").groupId("g").deduplicationId("two").build());

        assertThat(a.messageId()).isNotEqualTo(b.messageId());
        List<ReceivedMessage> received = receiveAndDeleteAll(q, 2);
        assertThat(received).extracting(ReceivedMessage::deduplicationId).containsExactly("one", "two");
    }

    @Test
    void explicitDeduplicationIdEqualToBodyHash_isDuplicateOfContentDeduplicatedSend() {
        MessageQueue q = queue(CONTENT_FIFO);

        SendResult first = q.send(OutgoingMessage.builder("payload").groupId("g").build());
        SendResult second = q.send(OutgoingMessage.builder("other payload").groupId("g")
                .deduplicationId(sha256Hex("payload")).build());

        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(receiveAndDeleteAll(q, 1).get(0).body()).isEqualTo("payload");
    }

    @Test
    void duplicateWithinOneBatch_isSuppressedAndGetsFirstMessageId() {
        MessageQueue q = queue(FIFO);

        BatchResult<SendResult> result = q.sendBatch(List.of(
                fifoMessage("g", "a"), fifoMessage("g", "b"), fifoMessage("g", "a")));

        assertThat(result.allSucceeded()).isTrue();
        assertThat(result.valueOrThrow(2).messageId()).isEqualTo(result.valueOrThrow(0).messageId());
        assertThat(result.valueOrThrow(1).messageId()).isNotEqualTo(result.valueOrThrow(0).messageId());
        assertThat(bodies(receiveAndDeleteAll(q, 2))).containsExactly("a", "b");
    }

    @Test
    void duplicateOfEarlierSend_inBatch_isSuppressed() {
        MessageQueue q = queue(FIFO);
        SendResult first = q.send(fifoMessage("g", "a"));

        BatchResult<SendResult> result = q.sendBatch(List.of(fifoMessage("g", "a"), fifoMessage("g", "b")));

        assertThat(result.valueOrThrow(0).messageId()).isEqualTo(first.messageId());
        assertThat(bodies(receiveAndDeleteAll(q, 2))).containsExactly("a", "b");
    }

    @Test
    void deduplicationWindow_endsFiveMinutesAfterFirstSend() {
        assumeCanAdvance(PAST_WINDOW);
        MessageQueue q = queue(FIFO);
        SendResult first = q.send(fifoMessage("g", "again"));
        q.delete(receiveOne(q));

        advance(PAST_WINDOW);
        SendResult later = q.send(fifoMessage("g", "again"));

        assertThat(later.messageId()).isNotEqualTo(first.messageId());
        ReceivedMessage m = receiveOne(q);
        assertThat(m.messageId()).isEqualTo(later.messageId());
        assertThat(m.receiveCount()).isEqualTo(1);
    }

    @Test
    void deduplicationWindow_stillHoldsJustBeforeFiveMinutes() {
        Duration almost = Limits.DEDUPLICATION_WINDOW.minusSeconds(10);
        assumeCanAdvance(almost);
        MessageQueue q = queue(FIFO);
        SendResult first = q.send(fifoMessage("g", "again"));
        q.delete(receiveOne(q));

        advance(almost);
        SendResult later = q.send(fifoMessage("g", "again"));

        assertThat(later.messageId()).isEqualTo(first.messageId());
        assertQueueEmpty(q);
    }

    @Test
    void deduplicationWindow_isNotExtendedByDuplicates() {
        Duration fourMinutes = Duration.ofMinutes(4);
        assumeCanAdvance(fourMinutes);
        MessageQueue q = queue(FIFO);
        SendResult first = q.send(fifoMessage("g", "again"));
        q.delete(receiveOne(q));

        advance(fourMinutes);
        SendResult duplicate = q.send(fifoMessage("g", "again"));
        advance(Duration.ofMinutes(1).plusSeconds(1));
        SendResult later = q.send(fifoMessage("g", "again"));

        assertThat(duplicate.messageId()).isEqualTo(first.messageId());
        assertThat(later.messageId()).isNotEqualTo(first.messageId());
        assertThat(receiveAndDeleteAll(q, 1).get(0).messageId()).isEqualTo(later.messageId());
    }

    @Test
    void deduplication_isPerQueue() {
        MessageQueue a = queue(FIFO);
        MessageQueue b = queue(TestTopology.PLAIN_FIFO);

        SendResult inA = a.send(fifoMessage("g", "shared"));
        SendResult inB = b.send(fifoMessage("g", "shared"));

        assertThat(inA.messageId()).isNotEqualTo(inB.messageId());
        assertThat(receiveOne(a).body()).isEqualTo("shared");
        assertThat(receiveOne(b).body()).isEqualTo("shared");
    }

    /** The lowercase hex SHA-256 of the UTF-8 bytes of {@code body}, as content-based deduplication computes it. */
    protected static String sha256Hex(String body) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
