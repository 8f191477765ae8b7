package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.FIFO_DLQ;
import static io.github.mq4j.testkit.TestTopology.MAX_RECEIVE_COUNT;
import static io.github.mq4j.testkit.TestTopology.PLAIN;
import static io.github.mq4j.testkit.TestTopology.PLAIN_FIFO;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static io.github.mq4j.testkit.TestTopology.STANDARD_B;
import static io.github.mq4j.testkit.TestTopology.STANDARD_DLQ;
import static io.github.mq4j.testkit.TestTopology.VISIBILITY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.SendResult;
import io.github.mq4j.StaleReceiptException;
import io.github.mq4j.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dead letters: a message is delivered at most {@code maxReceiveCount} times from its queue and
 * then moved to the dead-letter queue (FIFO to FIFO) with its message id, body, attributes, group
 * id and send time intact and its source recorded; {@code moveToDeadLetter} moves a received
 * message at once. Receive counts in the dead-letter queue differ between backends and are not
 * checked. Redrive is in {@link RedriveContract}.
 */
public abstract class DeadLetterContract extends ConformanceTest {

    private static final Map<String, String> ATTRIBUTES = Map.of("tenant", "t-42", "trace", "abc\u00e9");

    /**
     * Receives the message at the head of {@code queue} {@code times} times, each time with a
     * visibility timeout of 0 so it is visible again at once, and returns the receives.
     */
    protected final List<ReceivedMessage> failRepeatedly(MessageQueue queue, int times) {
        List<ReceivedMessage> receives = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            receives.add(receiveOne(queue, Duration.ZERO));
        }
        return receives;
    }

    @Test
    void message_isDeliveredAtMostMaxReceiveCountTimes() {
        MessageQueue q = queue(STANDARD);
        q.send("poison");

        List<ReceivedMessage> receives = failRepeatedly(q, MAX_RECEIVE_COUNT);

        assertThat(receives).extracting(ReceivedMessage::receiveCount).containsExactly(1, 2, 3);
        assertNothingToReceive(q);
    }

    @Test
    void message_pastMaxReceiveCount_movesToDeadLetterQueueIntact() {
        MessageQueue q = queue(STANDARD);
        SendResult sent = q.send(OutgoingMessage.builder("poison").attributes(ATTRIBUTES).build());
        ReceivedMessage original = failRepeatedly(q, MAX_RECEIVE_COUNT).get(0);
        assertNothingToReceive(q);

        ReceivedMessage dead = receiveOne(queue(STANDARD_DLQ), HOLD);

        assertThat(dead.queue()).isEqualTo(STANDARD_DLQ);
        assertThat(dead.messageId()).isEqualTo(sent.messageId());
        assertThat(dead.body()).isEqualTo("poison");
        assertThat(dead.attributes()).isEqualTo(ATTRIBUTES);
        assertThat(dead.deadLetterSource()).isEqualTo(STANDARD);
        assertThat(dead.groupId()).isNull();
        assertThat(dead.sentAt()).as("original send time").isEqualTo(original.sentAt());
        assertThat(dead.receiveCount()).isPositive();
    }

    @Test
    void message_pastMaxReceiveCountByVisibilityTimeout_movesToDeadLetterQueue() {
        MessageQueue q = queue(STANDARD);
        SendResult sent = q.send("slow poison");
        for (int i = 1; i <= MAX_RECEIVE_COUNT; i++) {
            assertThat(receiveOne(q).receiveCount()).isEqualTo(i);
            advance(VISIBILITY_TIMEOUT);
        }

        assertNothingToReceive(q);
        ReceivedMessage dead = receiveOne(queue(STANDARD_DLQ), HOLD);

        assertThat(dead.messageId()).isEqualTo(sent.messageId());
        assertThat(dead.deadLetterSource()).isEqualTo(STANDARD);
    }

    @Test
    void deletedBeforeMaxReceiveCount_neverReachesDeadLetterQueue() {
        MessageQueue q = queue(STANDARD);
        q.send("recovers");
        failRepeatedly(q, MAX_RECEIVE_COUNT - 1);

        q.delete(receiveOne(q, HOLD));

        assertQueueEmpty(q);
        assertQueueEmpty(queue(STANDARD_DLQ));
    }

    @Test
    void deadLetterMove_leavesOtherMessagesOfTheQueue() {
        MessageQueue q = queue(STANDARD);
        q.send("poison");
        failRepeatedly(q, MAX_RECEIVE_COUNT);
        assertNothingToReceive(q);
        q.send("healthy");

        ReceivedMessage next = receiveOne(q);

        assertThat(next.body()).isEqualTo("healthy");
        assertThat(next.receiveCount()).isEqualTo(1);
        assertThat(receiveOne(queue(STANDARD_DLQ), HOLD).body()).isEqualTo("poison");
    }

    @Test
    void deadLetterQueue_recordsEachMessagesOwnSource() {
        send(queue(STANDARD), "from standard");
        send(queue(STANDARD_B), "from standard-b");
        failRepeatedly(queue(STANDARD), MAX_RECEIVE_COUNT);
        failRepeatedly(queue(STANDARD_B), MAX_RECEIVE_COUNT);
        assertNothingToReceive(queue(STANDARD));
        assertNothingToReceive(queue(STANDARD_B));

        List<ReceivedMessage> dead = receiveAll(queue(STANDARD_DLQ), 2);

        for (ReceivedMessage m : dead) {
            assertThat(m.deadLetterSource()).as("source of %s", m.body())
                    .isEqualTo(m.body().equals("from standard") ? STANDARD : STANDARD_B);
        }
    }

    @Test
    void deadLetterQueue_messageCanBeReceivedAndDeletedLikeAnyOther() {
        MessageQueue q = queue(STANDARD);
        q.send("poison");
        failRepeatedly(q, MAX_RECEIVE_COUNT);
        assertNothingToReceive(q);
        MessageQueue dlq = queue(STANDARD_DLQ);

        dlq.delete(receiveOne(dlq, HOLD));

        assertQueueEmpty(dlq);
        assertQueueEmpty(q);
    }

    @Test
    void fifoMessage_pastMaxReceiveCount_movesToFifoDeadLetterQueueWithGroup() {
        MessageQueue q = queue(FIFO);
        SendResult sent = q.send(OutgoingMessage.builder("poison").groupId("g-7").deduplicationId("p-1")
                .attributes(ATTRIBUTES).build());
        q.send(fifoMessage("g-7", "after poison"));

        List<ReceivedMessage> receives = failRepeatedly(q, MAX_RECEIVE_COUNT);
        assertThat(receives).extracting(ReceivedMessage::body).containsOnly("poison");

        ReceivedMessage next = receiveOne(q, HOLD);
        assertThat(next.body()).as("the group goes on once the poison message is gone").isEqualTo("after poison");

        ReceivedMessage dead = receiveOne(queue(FIFO_DLQ), HOLD);
        assertThat(dead.queue()).isEqualTo(FIFO_DLQ);
        assertThat(dead.messageId()).isEqualTo(sent.messageId());
        assertThat(dead.body()).isEqualTo("poison");
        assertThat(dead.attributes()).isEqualTo(ATTRIBUTES);
        assertThat(dead.groupId()).isEqualTo("g-7");
        assertThat(dead.deadLetterSource()).isEqualTo(FIFO);
    }

    @Test
    void fifoDeadLetterQueue_keepsGroupOrder() {
        MessageQueue q = queue(FIFO);
        sendToGroup(q, "g", 3);
        for (int i = 0; i < 3; i++) {
            failRepeatedly(q, MAX_RECEIVE_COUNT);
        }
        assertNothingToReceive(q);

        List<ReceivedMessage> dead = receiveAndDeleteAll(queue(FIFO_DLQ), 3);

        assertThat(bodies(dead)).containsExactly("g-0", "g-1", "g-2");
        assertThat(dead).allSatisfy(m -> assertThat(m.groupId()).isEqualTo("g"));
    }

    // ---------------------------------------------------------------- moveToDeadLetter

    @Test
    void moveToDeadLetter_movesReceivedMessageAtOnce() {
        MessageQueue q = queue(STANDARD);
        SendResult sent = q.send(OutgoingMessage.builder("bad input").attributes(ATTRIBUTES).build());
        ReceivedMessage m = receiveOne(q);

        q.moveToDeadLetter(m);

        assertQueueEmpty(q);
        ReceivedMessage dead = receiveOne(queue(STANDARD_DLQ), HOLD);
        assertThat(dead.messageId()).isEqualTo(sent.messageId());
        assertThat(dead.body()).isEqualTo("bad input");
        assertThat(dead.attributes()).isEqualTo(ATTRIBUTES);
        assertThat(dead.deadLetterSource()).isEqualTo(STANDARD);
        assertThat(dead.sentAt()).isEqualTo(m.sentAt());
    }

    @Test
    void moveToDeadLetter_makesMessageVisibleInDeadLetterQueueAtOnce() {
        MessageQueue q = queue(STANDARD);
        q.send("bad input");
        q.moveToDeadLetter(receiveOne(q, HOLD));

        awaitCounts(queue(STANDARD_DLQ), 1, 0, 0);
        assertThat(receiveOne(queue(STANDARD_DLQ), HOLD).body()).isEqualTo("bad input");
    }

    @Test
    void moveToDeadLetter_ofFifoMessage_keepsGroupAndUnblocksIt() {
        MessageQueue q = queue(FIFO);
        sendToGroup(q, "g", 2);
        ReceivedMessage first = receiveOne(q, HOLD);

        q.moveToDeadLetter(first);

        ReceivedMessage next = receiveOne(q, HOLD);
        assertThat(next.body()).isEqualTo("g-1");
        ReceivedMessage dead = receiveOne(queue(FIFO_DLQ), HOLD);
        assertThat(dead.messageId()).isEqualTo(first.messageId());
        assertThat(dead.body()).isEqualTo("g-0");
        assertThat(dead.groupId()).isEqualTo("g");
        assertThat(dead.deadLetterSource()).isEqualTo(FIFO);
    }

    @Test
    void moveToDeadLetter_withStaleReceipt_throwsAndMovesNothing() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage first = receiveOne(q, Duration.ZERO);
        ReceivedMessage second = receiveOne(q, HOLD);

        assertThatThrownBy(() -> q.moveToDeadLetter(first)).isInstanceOf(StaleReceiptException.class);

        assertQueueEmpty(queue(STANDARD_DLQ));
        q.changeVisibility(second, Duration.ZERO);
        assertThat(receiveOne(q).body()).isEqualTo("job");
    }

    @Test
    void moveToDeadLetter_ofDeletedMessage_throwsStaleReceipt() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage m = receiveOne(q);
        q.delete(m);

        assertThatThrownBy(() -> q.moveToDeadLetter(m)).isInstanceOf(StaleReceiptException.class);
        assertQueueEmpty(queue(STANDARD_DLQ));
    }

    @Test
    void moveToDeadLetter_twice_throwsStaleReceiptTheSecondTime() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage m = receiveOne(q);
        q.moveToDeadLetter(m);

        assertThatThrownBy(() -> q.moveToDeadLetter(m)).isInstanceOf(StaleReceiptException.class);
        assertThat(receiveAll(queue(STANDARD_DLQ), 1).get(0).body()).isEqualTo("job");
    }

    @Test
    void moveToDeadLetter_onQueueWithoutDeadLetterQueue_isValidationError() {
        MessageQueue q = queue(PLAIN);
        q.send("job");
        ReceivedMessage m = receiveOne(q, HOLD);

        assertThatThrownBy(() -> q.moveToDeadLetter(m))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(PLAIN)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("deadLetter"));

        q.changeVisibility(m, Duration.ZERO);
        assertThat(receiveOne(q).body()).isEqualTo("job");
    }

    @Test
    void moveToDeadLetter_ofMessageFromAnotherQueue_isValidationError() {
        MessageQueue a = queue(STANDARD_B);
        a.send("job");
        ReceivedMessage fromB = receiveOne(a, HOLD);

        assertThatThrownBy(() -> queue(STANDARD).moveToDeadLetter(fromB))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("message"));

        assertQueueEmpty(queue(STANDARD_DLQ));
    }

    @Test
    void moveToDeadLetter_onFifoQueueWithoutDeadLetterQueue_isValidationError() {
        MessageQueue q = queue(PLAIN_FIFO);
        q.send(fifoMessage("g", "job"));
        ReceivedMessage m = receiveOne(q, HOLD);

        assertThatThrownBy(() -> q.moveToDeadLetter(m))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("deadLetter"));
    }
}
