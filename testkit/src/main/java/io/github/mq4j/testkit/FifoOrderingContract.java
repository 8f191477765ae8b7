package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.CONTENT_FIFO;
import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.VISIBILITY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.SendResult;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FIFO groups: within a group, messages are delivered in the order sent; while any message of a
 * group is in flight, no later message of that group is delivered, and other groups go on; one
 * receive may return several messages of a group, in order.
 */
public abstract class FifoOrderingContract extends ConformanceTest {

    @Test
    void group_isDeliveredInOrderSent() {
        MessageQueue q = queue(FIFO);
        List<String> sent = sendToGroup(q, "g", 25);

        List<ReceivedMessage> received = receiveAndDeleteAll(q, 25);

        assertThat(bodies(received)).containsExactlyElementsOf(sent);
        assertThat(received).allSatisfy(m -> assertThat(m.groupId()).isEqualTo("g"));
    }

    @Test
    void group_sentOneByOne_isDeliveredInOrderSent() {
        MessageQueue q = queue(FIFO);
        for (int i = 0; i < 6; i++) {
            q.send(fifoMessage("g", "single-" + i));
        }

        List<ReceivedMessage> received = receiveAndDeleteAll(q, 6);

        assertThat(bodies(received)).containsExactly("single-0", "single-1", "single-2", "single-3", "single-4", "single-5");
    }

    @Test
    void receive_withholdsLaterMessagesOfGroupWhileOneIsInFlight() {
        MessageQueue q = queue(FIFO);
        sendToGroup(q, "g", 3);

        ReceivedMessage first = receiveOne(q);

        assertThat(first.body()).isEqualTo("g-0");
        assertNothingToReceive(q);
    }

    @Test
    void receive_withholdsGroupWhileAnyOfItsMessagesIsInFlight() {
        MessageQueue q = queue(FIFO);
        sendToGroup(q, "g", 4);
        List<ReceivedMessage> firstReceive = q.receive(
                ReceiveRequest.builder().maxMessages(2).waitTime(POLL_WAIT).visibilityTimeout(HOLD).build());
        assertThat(bodies(firstReceive)).isNotEmpty().isSubsetOf("g-0", "g-1");

        q.delete(firstReceive.get(0));

        if (firstReceive.size() == 2) {
            assertNothingToReceive(q);
            q.delete(firstReceive.get(1));
        }
        assertThat(receiveOne(q).body()).isEqualTo("g-" + firstReceive.size());
    }

    @Test
    void otherGroups_goOnWhileOneGroupIsBlocked() {
        MessageQueue q = queue(FIFO);
        sendToGroup(q, "a", 2);
        ReceivedMessage a0 = receiveOne(q, HOLD);
        sendToGroup(q, "b", 2);

        List<ReceivedMessage> fromB = receiveAndDeleteAll(q, 2);

        assertThat(a0.body()).isEqualTo("a-0");
        assertThat(bodies(fromB)).containsExactly("b-0", "b-1");
    }

    @Test
    void delete_unblocksNextMessageOfGroup() {
        MessageQueue q = queue(FIFO);
        sendToGroup(q, "g", 2);
        ReceivedMessage first = receiveOne(q);

        q.delete(first);

        ReceivedMessage second = receiveOne(q);
        assertThat(second.body()).isEqualTo("g-1");
        assertThat(second.receiveCount()).isEqualTo(1);
    }

    @Test
    void redelivery_afterVisibilityTimeout_comesBeforeLaterMessagesOfGroup() {
        MessageQueue q = queue(FIFO);
        sendToGroup(q, "g", 3);
        ReceivedMessage first = receiveOne(q);

        advance(VISIBILITY_TIMEOUT);

        List<ReceivedMessage> next = q.receive(
                ReceiveRequest.builder().maxMessages(1).waitTime(POLL_WAIT).visibilityTimeout(HOLD).build());
        assertThat(next).hasSize(1);
        assertThat(next.get(0).messageId()).isEqualTo(first.messageId());
        assertThat(next.get(0).body()).isEqualTo("g-0");
        assertThat(next.get(0).receiveCount()).isEqualTo(2);
    }

    @Test
    void changeVisibilityToZero_redeliversSameMessageBeforeLaterOnes() {
        MessageQueue q = queue(FIFO);
        sendToGroup(q, "g", 3);
        ReceivedMessage first = receiveOne(q);

        q.changeVisibility(first, Duration.ZERO);

        List<ReceivedMessage> rest = receiveAndDeleteAll(q, 3);
        assertThat(bodies(rest)).containsExactly("g-0", "g-1", "g-2");
        assertThat(rest.get(0).receiveCount()).isEqualTo(2);
        assertThat(rest.get(1).receiveCount()).isEqualTo(1);
    }

    @Test
    void oneReceive_returnsMessagesOfAGroupAsAnInOrderPrefix() {
        MessageQueue q = queue(FIFO);
        List<String> sent = sendToGroup(q, "g", 5);

        List<ReceivedMessage> first = q.receive(
                ReceiveRequest.builder().maxMessages(10).waitTime(POLL_WAIT).visibilityTimeout(HOLD).build());

        assertThat(first).isNotEmpty();
        assertThat(bodies(first)).containsExactlyElementsOf(sent.subList(0, first.size()));
    }

    @Test
    void interleavedGroups_keepOrderWithinEachGroup() {
        MessageQueue q = queue(FIFO);
        List<OutgoingMessage> messages = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            for (String g : List.of("a", "b", "c")) {
                messages.add(fifoMessage(g, g + "-" + i));
            }
        }
        sendAll(q, messages);

        List<ReceivedMessage> received = receiveAndDeleteAll(q, 18);

        Map<String, List<String>> byGroup = byGroup(received);
        assertThat(byGroup.keySet()).containsExactlyInAnyOrder("a", "b", "c");
        for (String g : List.of("a", "b", "c")) {
            assertThat(byGroup.get(g)).as("group %s", g)
                    .containsExactly(g + "-0", g + "-1", g + "-2", g + "-3", g + "-4", g + "-5");
        }
    }

    @Test
    void blockedGroup_losesNothing() {
        MessageQueue q = queue(FIFO);
        sendToGroup(q, "g", 3);
        ReceivedMessage first = receiveOne(q);
        advance(VISIBILITY_TIMEOUT);
        ReceivedMessage again = receiveOne(q, HOLD);
        assertThat(again.messageId()).isEqualTo(first.messageId());
        q.delete(again);

        List<ReceivedMessage> rest = receiveAndDeleteAll(q, 2);

        assertThat(bodies(rest)).containsExactly("g-1", "g-2");
        assertQueueEmpty(q);
    }

    @Test
    void sendAfterPartialConsumption_continuesGroupOrder() {
        MessageQueue q = queue(FIFO);
        q.send(fifoMessage("g", "early"));
        q.delete(receiveOne(q));

        q.send(fifoMessage("g", "late-1"));
        q.send(fifoMessage("g", "late-2"));

        assertThat(bodies(receiveAndDeleteAll(q, 2))).containsExactly("late-1", "late-2");
    }

    @Test
    void groupId_withEveryAllowedPunctuation_roundTrips() {
        MessageQueue q = queue(FIFO);
        String groupId = "Az09!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

        q.send(OutgoingMessage.builder("punctuated").groupId(groupId).deduplicationId(groupId).build());

        ReceivedMessage m = receiveOne(q);
        assertThat(m.groupId()).isEqualTo(groupId);
        assertThat(m.deduplicationId()).isEqualTo(groupId);
    }

    @Test
    void groupId_ofMaximumLength_roundTrips() {
        MessageQueue q = queue(FIFO);
        String groupId = "g".repeat(Limits.MAX_ID_LENGTH);
        String dedupId = "d".repeat(Limits.MAX_ID_LENGTH);

        q.send(OutgoingMessage.builder("long ids").groupId(groupId).deduplicationId(dedupId).build());

        ReceivedMessage m = receiveOne(q);
        assertThat(m.groupId()).isEqualTo(groupId);
        assertThat(m.deduplicationId()).isEqualTo(dedupId);
    }

    @Test
    void groupIds_areCaseSensitive() {
        MessageQueue q = queue(FIFO);
        q.send(fifoMessage("G", "upper"));
        q.send(fifoMessage("g", "lower"));

        ReceivedMessage first = receiveOne(q, HOLD);
        List<ReceivedMessage> other = receiveUpTo(q, 1, HOLD);

        assertThat(other).as("the other group is not blocked by the first").hasSize(1);
        assertThat(List.of(first.groupId(), other.get(0).groupId())).containsExactlyInAnyOrder("G", "g");
    }

    @Test
    void sequenceNumbers_increaseWithinGroupAndMatchSendResults() {
        MessageQueue q = queue(FIFO);
        List<SendResult> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(q.send(fifoMessage("g", "seq-" + i)));
        }
        assumeTrue(results.get(0).sequenceNumber() != null, "this backend provides no FIFO sequence numbers");

        List<ReceivedMessage> received = receiveAndDeleteAll(q, 4);

        for (int i = 0; i < 4; i++) {
            assertThat(received.get(i).sequenceNumber()).as("sequence number of message %s", i)
                    .isEqualTo(results.get(i).sequenceNumber());
        }
        for (int i = 1; i < 4; i++) {
            assertThat(new BigInteger(results.get(i).sequenceNumber()))
                    .isGreaterThan(new BigInteger(results.get(i - 1).sequenceNumber()));
        }
    }

    @Test
    void contentDeduplicatedQueue_keepsGroupOrder() {
        MessageQueue q = queue(CONTENT_FIFO);
        for (int i = 0; i < 5; i++) {
            q.send(OutgoingMessage.builder("content-" + i).groupId("g").build());
        }

        assertThat(bodies(receiveAndDeleteAll(q, 5)))
                .containsExactly("content-0", "content-1", "content-2", "content-3", "content-4");
    }

    private static Map<String, List<String>> byGroup(List<ReceivedMessage> messages) {
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        for (ReceivedMessage m : messages) {
            byGroup.computeIfAbsent(m.groupId(), g -> new ArrayList<>()).add(m.body());
        }
        return byGroup;
    }
}
