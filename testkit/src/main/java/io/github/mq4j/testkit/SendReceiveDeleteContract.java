package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.LONG_VISIBILITY;
import static io.github.mq4j.testkit.TestTopology.PLAIN;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.SendResult;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Sending, receiving and deleting on a standard queue: what a received message carries, that a
 * receive hides what it returns, that a delete removes a message for good, and that queues are
 * separate. FIFO specifics are in {@link FifoOrderingContract}, visibility timeouts and receipts
 * in {@link VisibilityAndReceiptsContract}.
 */
public abstract class SendReceiveDeleteContract extends ConformanceTest {

    @Test
    void send_returnsMessageIdThatReceiveReports() {
        MessageQueue q = queue(STANDARD);

        SendResult sent = q.send("hello");
        ReceivedMessage received = receiveOne(q);

        assertThat(sent.messageId()).isNotBlank();
        assertThat(received.messageId()).isEqualTo(sent.messageId());
        assertThat(received.body()).isEqualTo("hello");
    }

    @Test
    void receive_reportsQueueReceiptCountsAndTimes() {
        MessageQueue q = queue(STANDARD);
        q.send("hello");

        ReceivedMessage m = receiveOne(q);

        assertThat(m.queue()).isEqualTo(STANDARD);
        assertThat(m.receipt()).isNotBlank();
        assertThat(m.receiveCount()).isEqualTo(1);
        assertThat(m.attributes()).isEmpty();
        assertThat(m.groupId()).isNull();
        assertThat(m.deduplicationId()).isNull();
        assertThat(m.deadLetterSource()).isNull();
        assertRecent(m.sentAt(), "sentAt");
        assertRecent(m.firstReceivedAt(), "firstReceivedAt");
        assertThat(m.firstReceivedAt()).as("firstReceivedAt").isAfterOrEqualTo(m.sentAt());
    }

    @Test
    void send_givesDistinctMessageIdsToDistinctMessages() {
        MessageQueue q = queue(STANDARD);

        List<SendResult> results = send(q, "a", "b", "c", "a");

        Set<String> ids = new HashSet<>();
        for (SendResult r : results) {
            ids.add(r.messageId());
        }
        assertThat(ids).as("message ids of four sends, two with the same body").hasSize(4);
    }

    @Test
    void send_ofSameBodyTwiceOnStandardQueue_deliversBoth() {
        MessageQueue q = queue(STANDARD);
        send(q, "same", "same");

        List<ReceivedMessage> received = receiveAll(q, 2);

        assertThat(bodies(received)).containsExactly("same", "same");
        assertThat(received.get(0).messageId()).isNotEqualTo(received.get(1).messageId());
    }

    @Test
    void body_roundTripsEveryAllowedCharacterClass() {
        MessageQueue q = queue(STANDARD);
        String body = "tab\t newline\n return\r space ~ \u007f \u00e9 \u20ac \ud7ff \ue000 \ufffd \ud83d\ude00 "
                + "\udbff\udfff {\"json\": [1, 2.5, null], \"quote\": \"\\\"\"} <xml a='b'/> & %20 +";

        q.send(body);

        assertThat(receiveOne(q).body()).isEqualTo(body);
    }

    @Test
    void body_ofExactlyMaximumSize_roundTrips() {
        MessageQueue q = queue(STANDARD);
        String body = "x".repeat(Limits.DEFAULT_MAX_MESSAGE_SIZE);

        q.send(body);

        ReceivedMessage m = receiveOne(q);
        assertThat(m.body()).hasSize(Limits.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(m.body()).isEqualTo(body);
    }

    @Test
    void body_ofOneCharacter_roundTrips() {
        MessageQueue q = queue(STANDARD);

        q.send("1");

        assertThat(receiveOne(q).body()).isEqualTo("1");
    }

    @Test
    void attributes_roundTripNamesAndValues() {
        MessageQueue q = queue(STANDARD);
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < Limits.MAX_ATTRIBUTES - 3; i++) {
            attributes.put("attr-" + i, "value " + i);
        }
        attributes.put("with.dots_and-dashes", "x");
        attributes.put("unicode", "\u00e9\u20ac\ud83d\ude00\ttab");
        attributes.put("Trace-Id", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        q.send(OutgoingMessage.builder("with attributes").attributes(attributes).build());

        ReceivedMessage m = receiveOne(q);
        assertThat(m.attributes()).hasSize(Limits.MAX_ATTRIBUTES);
        assertThat(m.attributes()).containsExactlyInAnyOrderEntriesOf(attributes);
        assertThat(m.attribute("Trace-Id")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(m.attribute("missing")).isNull();
    }

    @Test
    void receive_fromEmptyQueue_returnsEmptyList() {
        MessageQueue q = queue(STANDARD);

        List<ReceivedMessage> received = q.receive(ReceiveRequest.of(10, Duration.ZERO));

        assertThat(received).isEmpty();
    }

    @Test
    void receive_returnsAtMostMaxMessages() {
        MessageQueue q = queue(STANDARD);
        sendNumbered(q, "m", 15);

        List<ReceivedMessage> first = q.receive(ReceiveRequest.builder().maxMessages(10).waitTime(POLL_WAIT)
                .visibilityTimeout(HOLD).build());
        List<ReceivedMessage> one = q.receive(ReceiveRequest.builder().maxMessages(1).waitTime(POLL_WAIT)
                .visibilityTimeout(HOLD).build());

        assertThat(first).hasSizeBetween(1, 10);
        assertThat(one).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void receive_deliversEveryMessageExactlyOnceWhileTheyAreHeld() {
        MessageQueue q = queue(STANDARD);
        List<String> sent = sendNumbered(q, "m", 25);

        List<ReceivedMessage> received = receiveAll(q, 25);

        assertThat(bodies(received)).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(new HashSet<>(messageIds(received))).hasSize(25);
        assertThat(received).allSatisfy(m -> assertThat(m.receiveCount()).isEqualTo(1));
    }

    @Test
    void receive_hidesReturnedMessageFromNextReceive() {
        MessageQueue q = queue(LONG_VISIBILITY);
        q.send("only");

        receiveOne(q);

        assertNothingToReceive(q);
    }

    @Test
    void receive_givesEachReceivedMessageItsOwnReceipt() {
        MessageQueue q = queue(STANDARD);
        sendNumbered(q, "m", 5);

        List<ReceivedMessage> received = receiveAll(q, 5);

        Set<String> receipts = new HashSet<>();
        for (ReceivedMessage m : received) {
            receipts.add(m.receipt());
        }
        assertThat(receipts).hasSize(5);
    }

    @Test
    void delete_removesMessageForGood() {
        MessageQueue q = queue(STANDARD);
        q.send("doomed");
        ReceivedMessage m = receiveOne(q);

        q.delete(m);
        advance(TestTopology.VISIBILITY_TIMEOUT);

        assertQueueEmpty(q);
    }

    @Test
    void delete_byReceiptString_removesMessage() {
        MessageQueue q = queue(STANDARD);
        q.send("doomed");
        ReceivedMessage m = receiveOne(q);

        q.delete(m.receipt());

        awaitCounts(q, 0, 0, 0);
        advance(TestTopology.VISIBILITY_TIMEOUT);
        assertNothingToReceive(q);
    }

    @Test
    void delete_twiceWithSameReceipt_isHarmless() {
        MessageQueue q = queue(STANDARD);
        q.send("doomed");
        ReceivedMessage m = receiveOne(q);

        q.delete(m);
        q.delete(m);

        assertQueueEmpty(q);
    }

    @Test
    void delete_removesOnlyThatMessage() {
        MessageQueue q = queue(STANDARD);
        send(q, "keep", "drop");
        List<ReceivedMessage> received = receiveAll(q, 2, TestTopology.VISIBILITY_TIMEOUT);
        ReceivedMessage drop = received.get(0).body().equals("drop") ? received.get(0) : received.get(1);

        q.delete(drop);
        advance(TestTopology.VISIBILITY_TIMEOUT);

        List<ReceivedMessage> left = receiveAll(q, 1);
        assertThat(left.get(0).body()).isEqualTo("keep");
        assertThat(left.get(0).receiveCount()).isEqualTo(2);
    }

    @Test
    void queues_areSeparate() {
        MessageQueue a = queue(STANDARD);
        MessageQueue b = queue(PLAIN);
        a.send("for a");
        b.send("for b");

        ReceivedMessage fromA = receiveAll(a, 1).get(0);
        ReceivedMessage fromB = receiveAll(b, 1).get(0);

        assertThat(fromA.body()).isEqualTo("for a");
        assertThat(fromA.queue()).isEqualTo(STANDARD);
        assertThat(fromB.body()).isEqualTo("for b");
        assertThat(fromB.queue()).isEqualTo(PLAIN);
    }

    @Test
    void client_returnsSameQueueForSameName() {
        MessageQueue q = queue(STANDARD);
        q.send("via first lookup");

        ReceivedMessage m = receiveOne(client().queue(STANDARD));

        assertThat(m.body()).isEqualTo("via first lookup");
        assertThat(client().queue(STANDARD).name()).isEqualTo(STANDARD);
        assertThat(client().queue(STANDARD).spec()).isEqualTo(client().topology().queue(STANDARD));
    }

    @Test
    void client_reportsTypeAndTopology() {
        assertThat(client().type()).isNotBlank();
        assertThat(client().topology().names()).isEqualTo(topology().names());
        for (String name : topology().names()) {
            assertThat(queue(name).spec()).as("spec of %s", name).isEqualTo(topology().queue(name));
        }
    }

    @Test
    void fifoQueue_receiveReportsGroupAndDeduplicationId() {
        MessageQueue q = queue(FIFO);
        SendResult sent = q.send(OutgoingMessage.builder("ordered").groupId("g-1").deduplicationId("d-1")
                .attribute("kind", "test").build());

        ReceivedMessage m = receiveOne(q);

        assertThat(m.messageId()).isEqualTo(sent.messageId());
        assertThat(m.queue()).isEqualTo(FIFO);
        assertThat(m.body()).isEqualTo("ordered");
        assertThat(m.groupId()).isEqualTo("g-1");
        assertThat(m.deduplicationId()).isEqualTo("d-1");
        assertThat(m.attributes()).containsExactly(Map.entry("kind", "test"));
        assertThat(m.receiveCount()).isEqualTo(1);
        assertThat(m.deadLetterSource()).isNull();
        if (sent.sequenceNumber() != null) {
            assertThat(m.sequenceNumber()).isEqualTo(sent.sequenceNumber());
        }
    }

    @Test
    void fifoQueue_deleteRemovesMessage() {
        MessageQueue q = queue(FIFO);
        q.send(fifoMessage("g", "one"));

        q.delete(receiveOne(q));
        advance(TestTopology.VISIBILITY_TIMEOUT);

        assertQueueEmpty(q);
    }
}
