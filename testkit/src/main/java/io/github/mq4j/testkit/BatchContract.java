package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.LONG_VISIBILITY;
import static io.github.mq4j.testkit.TestTopology.PLAIN;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static io.github.mq4j.testkit.TestTopology.VISIBILITY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mq4j.BatchResult;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.SendResult;
import io.github.mq4j.StaleReceiptException;
import io.github.mq4j.ValidationException;
import io.github.mq4j.VisibilityChange;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Batches: send, delete and visibility change have batch forms with one outcome per entry, in
 * request order; an entry that breaks a limit fails alone with a {@link ValidationException} and
 * the others go ahead; a batch is not atomic.
 */
public abstract class BatchContract extends ConformanceTest {

    // ---------------------------------------------------------------- sendBatch

    @Test
    void sendBatch_returnsOneResultPerEntryInOrder() {
        MessageQueue q = queue(STANDARD);
        List<OutgoingMessage> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            messages.add(OutgoingMessage.builder("m-" + i).attribute("index", String.valueOf(i)).build());
        }

        BatchResult<SendResult> result = q.sendBatch(messages);

        assertThat(result.size()).isEqualTo(10);
        assertThat(result.allSucceeded()).isTrue();
        assertThat(result.failed()).isEmpty();
        for (int i = 0; i < 10; i++) {
            assertThat(result.get(i).index()).isEqualTo(i);
        }
        List<ReceivedMessage> received = receiveAll(q, 10);
        for (ReceivedMessage m : received) {
            int index = Integer.parseInt(m.attribute("index"));
            assertThat(m.body()).isEqualTo("m-" + index);
            assertThat(m.messageId()).as("message id of entry %s", index).isEqualTo(result.valueOrThrow(index).messageId());
        }
    }

    @Test
    void sendBatch_givesDistinctMessageIds() {
        MessageQueue q = queue(STANDARD);

        BatchResult<SendResult> result = q.sendBatch(List.of(
                OutgoingMessage.of("same"), OutgoingMessage.of("same"), OutgoingMessage.of("other")));

        assertThat(new HashSet<>(result.successful().stream().map(s -> s.value().messageId()).toList())).hasSize(3);
    }

    @Test
    void sendBatch_ofOneMessage_works() {
        MessageQueue q = queue(STANDARD);

        BatchResult<SendResult> result = q.sendBatch(List.of(OutgoingMessage.of("alone")));

        assertThat(result.size()).isEqualTo(1);
        assertThat(receiveOne(q).messageId()).isEqualTo(result.valueOrThrow(0).messageId());
    }

    @Test
    void sendBatch_largerThanTen_isSentInFull() {
        MessageQueue q = queue(STANDARD);
        List<OutgoingMessage> messages = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            messages.add(OutgoingMessage.of("big-" + i));
        }

        BatchResult<SendResult> result = q.sendBatch(messages);

        assertThat(result.size()).isEqualTo(25);
        assertThat(result.allSucceeded()).isTrue();
        assertThat(bodies(receiveAll(q, 25))).hasSize(25).doesNotHaveDuplicates();
    }

    @Test
    void sendBatch_withOneInvalidEntry_failsThatEntryAlone() {
        MessageQueue q = queue(STANDARD);

        BatchResult<SendResult> result = q.sendBatch(List.of(
                OutgoingMessage.of("first"), OutgoingMessage.of(""), OutgoingMessage.of("third")));

        assertThat(result.size()).isEqualTo(3);
        assertThat(result.get(0).succeeded()).isTrue();
        assertThat(result.get(1).succeeded()).isFalse();
        assertThat(result.get(2).succeeded()).isTrue();
        BatchResult.Failure<SendResult> failure = result.failed().get(0);
        assertThat(failure.index()).isEqualTo(1);
        assertThat(failure.error()).isInstanceOf(ValidationException.class);
        assertThat(((ValidationException) failure.error()).field()).isEqualTo("body");
        assertThat(bodies(receiveAll(q, 2))).containsExactlyInAnyOrder("first", "third");
    }

    @Test
    void sendBatch_withSeveralInvalidEntries_failsEachWithItsOwnReason() {
        MessageQueue q = queue(STANDARD);
        OutgoingMessage tooManyAttributes = OutgoingMessage.builder("attrs").attributes(elevenAttributes()).build();
        OutgoingMessage withGroup = OutgoingMessage.builder("grouped").groupId("g").build();
        OutgoingMessage tooLate = OutgoingMessage.builder("late").delay(Duration.ofSeconds(901)).build();

        BatchResult<SendResult> result = q.sendBatch(List.of(
                tooManyAttributes, OutgoingMessage.of("ok-1"), withGroup, tooLate, OutgoingMessage.of("ok-2")));

        assertThat(result.entries()).extracting(BatchResult.Entry::succeeded).containsExactly(false, true, false, false, true);
        assertThat(fieldOf(result, 0)).isEqualTo("attributes");
        assertThat(fieldOf(result, 2)).isEqualTo("groupId");
        assertThat(fieldOf(result, 3)).isEqualTo("delay");
        assertThatThrownBy(() -> result.valueOrThrow(0)).isInstanceOf(ValidationException.class);
        assertThat(bodies(receiveAll(q, 2))).containsExactlyInAnyOrder("ok-1", "ok-2");
    }

    @Test
    void sendBatch_whereEveryEntryIsInvalid_sendsNothing() {
        MessageQueue q = queue(STANDARD);

        BatchResult<SendResult> result = q.sendBatch(List.of(OutgoingMessage.of(""), OutgoingMessage.of("\u0000")));

        assertThat(result.failed()).hasSize(2);
        assertThat(result.successful()).isEmpty();
        assertQueueEmpty(q);
    }

    @Test
    void sendBatch_empty_isValidationError() {
        MessageQueue q = queue(STANDARD);

        assertThatThrownBy(() -> q.sendBatch(List.of()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void sendBatch_onFifoQueue_keepsOrderWithinGroups() {
        MessageQueue q = queue(FIFO);
        List<OutgoingMessage> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String g = i % 2 == 0 ? "even" : "odd";
            messages.add(fifoMessage(g, g + "-" + i));
        }

        BatchResult<SendResult> result = q.sendBatch(messages);

        assertThat(result.allSucceeded()).isTrue();
        List<ReceivedMessage> received = receiveAndDeleteAll(q, 10);
        assertThat(bodies(received).stream().filter(b -> b.startsWith("even")).toList())
                .containsExactly("even-0", "even-2", "even-4", "even-6", "even-8");
        assertThat(bodies(received).stream().filter(b -> b.startsWith("odd")).toList())
                .containsExactly("odd-1", "odd-3", "odd-5", "odd-7", "odd-9");
    }

    @Test
    void sendBatch_onFifoQueue_entryWithoutGroupFailsAlone() {
        MessageQueue q = queue(FIFO);

        BatchResult<SendResult> result = q.sendBatch(List.of(
                fifoMessage("g", "g-0"),
                OutgoingMessage.builder("no group").deduplicationId("x").build(),
                fifoMessage("g", "g-1")));

        assertThat(result.entries()).extracting(BatchResult.Entry::succeeded).containsExactly(true, false, true);
        assertThat(fieldOf(result, 1)).isEqualTo("groupId");
        assertThat(bodies(receiveAndDeleteAll(q, 2))).containsExactly("g-0", "g-1");
    }

    @Test
    void sendBatch_onFifoQueue_returnsIncreasingSequenceNumbers() {
        MessageQueue q = queue(FIFO);
        SendResult single = q.send(fifoMessage("g", "single"));
        assumeTrue(single.sequenceNumber() != null, "this backend provides no FIFO sequence numbers");
        assumeNoGap(KnownGap.SEQUENCE_NUMBER_IN_BATCH);

        BatchResult<SendResult> result = q.sendBatch(List.of(fifoMessage("g", "b-0"), fifoMessage("g", "b-1")));

        BigInteger first = new BigInteger(result.valueOrThrow(0).sequenceNumber());
        BigInteger second = new BigInteger(result.valueOrThrow(1).sequenceNumber());
        assertThat(first).isGreaterThan(new BigInteger(single.sequenceNumber()));
        assertThat(second).isGreaterThan(first);
    }

    // ---------------------------------------------------------------- deleteBatch

    @Test
    void deleteBatch_deletesEveryMessageAndReturnsReceiptsInOrder() {
        MessageQueue q = queue(STANDARD);
        sendNumbered(q, "d", 4);
        List<ReceivedMessage> received = receiveAll(q, 4, VISIBILITY_TIMEOUT);
        List<String> receipts = received.stream().map(ReceivedMessage::receipt).toList();

        BatchResult<String> result = q.deleteBatch(receipts);

        assertThat(result.allSucceeded()).isTrue();
        for (int i = 0; i < receipts.size(); i++) {
            assertThat(result.valueOrThrow(i)).isEqualTo(receipts.get(i));
        }
        advance(VISIBILITY_TIMEOUT);
        assertQueueEmpty(q);
    }

    @Test
    void deleteBatch_withInvalidReceipt_failsThatEntryAlone() {
        MessageQueue q = queue(STANDARD);
        sendNumbered(q, "d", 2);
        List<ReceivedMessage> received = receiveAll(q, 2, VISIBILITY_TIMEOUT);

        BatchResult<String> result = q.deleteBatch(List.of(received.get(0).receipt(), " ", received.get(1).receipt()));

        assertThat(result.entries()).extracting(BatchResult.Entry::succeeded).containsExactly(true, false, true);
        assertThat(fieldOf(result, 1)).isEqualTo("receipt");
        advance(VISIBILITY_TIMEOUT);
        assertQueueEmpty(q);
    }

    @Test
    void deleteBatch_withReceiptTheBackendNeverIssued_failsThatEntryAlone() {
        MessageQueue q = queue(STANDARD);
        q.send("d");
        ReceivedMessage m = receiveOne(q);

        BatchResult<String> result = q.deleteBatch(List.of("never-issued-by-this-backend", m.receipt()));

        assertThat(result.entries()).extracting(BatchResult.Entry::succeeded).containsExactly(false, true);
        assertThat(fieldOf(result, 0)).isEqualTo("receipt");
        assertQueueEmpty(q);
    }

    @Test
    void deleteBatch_withStaleReceipt_succeedsAndDeletesNothingElse() {
        MessageQueue q = queue(STANDARD);
        send(q, "one", "two");
        List<ReceivedMessage> first = receiveAll(q, 2);
        for (ReceivedMessage m : first) {
            q.changeVisibility(m, Duration.ZERO);
        }
        List<ReceivedMessage> second = receiveAll(q, 2);
        ReceivedMessage stale = first.get(0);
        ReceivedMessage current = second.get(0).messageId().equals(stale.messageId()) ? second.get(1) : second.get(0);

        BatchResult<String> result = q.deleteBatch(List.of(stale.receipt(), current.receipt()));

        assertThat(result.allSucceeded()).as("a stale receipt deletes nothing but is no error").isTrue();
        awaitCounts(q, 0, 1, 0);
        ReceivedMessage survivor = second.get(0) == current ? second.get(1) : second.get(0);
        assertThat(survivor.messageId()).isEqualTo(stale.messageId());
        q.delete(survivor);
        assertQueueEmpty(q);
    }

    @Test
    void deleteBatch_empty_isValidationError() {
        assertThatThrownBy(() -> queue(STANDARD).deleteBatch(List.of())).isInstanceOf(ValidationException.class);
    }

    @Test
    void deleteBatch_withReceiptOfAnotherQueue_failsThatEntryAlone() {
        MessageQueue a = queue(STANDARD);
        MessageQueue b = queue(PLAIN);
        a.send("in a");
        b.send("in b");
        ReceivedMessage fromA = receiveOne(a, HOLD);
        ReceivedMessage fromB = receiveOne(b, HOLD);

        BatchResult<String> result = b.deleteBatch(List.of(fromA.receipt(), fromB.receipt()));

        assertThat(result.entries()).extracting(BatchResult.Entry::succeeded).containsExactly(false, true);
        assertThat(fieldOf(result, 0)).isEqualTo("receipt");
        awaitCounts(a, 0, 1, 0);
        assertQueueEmpty(b);
    }

    // ---------------------------------------------------------------- changeVisibilityBatch

    @Test
    void changeVisibilityBatch_changesEveryEntry() {
        MessageQueue q = queue(LONG_VISIBILITY);
        sendNumbered(q, "v", 3);
        List<ReceivedMessage> received = receiveAll(q, 3);
        List<VisibilityChange> changes = received.stream()
                .map(m -> new VisibilityChange(m.receipt(), Duration.ZERO)).toList();

        BatchResult<String> result = q.changeVisibilityBatch(changes);

        assertThat(result.allSucceeded()).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(result.valueOrThrow(i)).isEqualTo(received.get(i).receipt());
        }
        assertThat(receiveAll(q, 3)).allSatisfy(m -> assertThat(m.receiveCount()).isEqualTo(2));
    }

    @Test
    void changeVisibilityBatch_withStaleAndInvalidEntries_failsThoseAlone() {
        MessageQueue q = queue(LONG_VISIBILITY);
        sendNumbered(q, "v", 2);
        List<ReceivedMessage> received = receiveAll(q, 2);
        ReceivedMessage deleted = received.get(0);
        ReceivedMessage held = received.get(1);
        q.delete(deleted);

        BatchResult<String> result = q.changeVisibilityBatch(List.of(
                new VisibilityChange(deleted.receipt(), Duration.ZERO),
                new VisibilityChange(held.receipt(), Duration.ofMillis(1500)),
                new VisibilityChange(held.receipt(), Duration.ZERO)));

        assertThat(result.entries()).extracting(BatchResult.Entry::succeeded).containsExactly(false, false, true);
        assertThat(result.failed().get(0).error()).isInstanceOf(StaleReceiptException.class);
        assertThat(fieldOf(result, 1)).isEqualTo("timeout");
        ReceivedMessage again = receiveAll(q, 1).get(0);
        assertThat(again.body()).isEqualTo(held.body());
        assertThat(again.receiveCount()).isEqualTo(2);
    }

    @Test
    void changeVisibilityBatch_withTimeoutOverTwelveHours_failsThatEntryAlone() {
        MessageQueue q = queue(LONG_VISIBILITY);
        sendNumbered(q, "v", 2);
        List<ReceivedMessage> received = receiveAll(q, 2);

        BatchResult<String> result = q.changeVisibilityBatch(List.of(
                new VisibilityChange(received.get(0).receipt(), Duration.ofHours(12).plusSeconds(1)),
                new VisibilityChange(received.get(1).receipt(), Duration.ZERO)));

        assertThat(result.entries()).extracting(BatchResult.Entry::succeeded).containsExactly(false, true);
        assertThat(fieldOf(result, 0)).isEqualTo("timeout");
        assertThat(receiveAll(q, 1).get(0).body()).isEqualTo(received.get(1).body());
    }

    @Test
    void changeVisibilityBatch_empty_isValidationError() {
        assertThatThrownBy(() -> queue(STANDARD).changeVisibilityBatch(List.of())).isInstanceOf(ValidationException.class);
    }

    private static String fieldOf(BatchResult<?> result, int index) {
        BatchResult.Entry<?> entry = result.get(index);
        assertThat(entry).as("entry %s", index).isInstanceOf(BatchResult.Failure.class);
        RuntimeException error = ((BatchResult.Failure<?>) entry).error();
        assertThat(error).as("error of entry %s", index).isInstanceOf(ValidationException.class);
        return ((ValidationException) error).field();
    }

    private static java.util.Map<String, String> elevenAttributes() {
        java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            attributes.put("a" + i, "v");
        }
        return attributes;
    }
}
