package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.PLAIN;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static io.github.mq4j.testkit.TestTopology.STANDARD_DLQ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.StaleReceiptException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Purge: deletes every message of one queue, visible, in flight or delayed, and nothing else. */
public abstract class PurgeContract extends ConformanceTest {

    @Test
    void purge_deletesVisibleInFlightAndDelayedMessages() {
        MessageQueue q = queue(STANDARD);
        sendNumbered(q, "visible", 3);
        q.send("in flight");
        q.send(OutgoingMessage.builder("delayed").delay(Duration.ofSeconds(60)).build());
        receiveUpTo(q, 1, HOLD);
        awaitStats(q, s -> s.total() == 5 && s.inFlight() == 1 && s.delayed() == 1, "5 messages, 1 in flight, 1 delayed");

        q.purge();

        assertQueueEmpty(q);
    }

    @Test
    void purge_leavesOtherQueuesAlone() {
        sendNumbered(queue(STANDARD), "s", 2);
        sendNumbered(queue(PLAIN), "p", 2);

        queue(STANDARD).purge();

        assertQueueEmpty(queue(STANDARD));
        assertThat(bodies(receiveAll(queue(PLAIN), 2))).containsExactlyInAnyOrder("p-0", "p-1");
    }

    @Test
    void purge_ofSourceQueue_leavesItsDeadLetterQueueAlone() {
        MessageQueue q = queue(STANDARD);
        q.send("dead");
        q.moveToDeadLetter(receiveOne(q, HOLD));
        q.send("alive");

        q.purge();

        assertQueueEmpty(q);
        assertThat(receiveAll(queue(STANDARD_DLQ), 1).get(0).body()).isEqualTo("dead");
    }

    @Test
    void purge_ofEmptyQueue_isHarmless() {
        MessageQueue q = queue(STANDARD);

        q.purge();

        assertQueueEmpty(q);
    }

    @Test
    void purgedMessage_receiptNoLongerChangesAnything() {
        MessageQueue q = queue(STANDARD);
        q.send("held");
        ReceivedMessage m = receiveOne(q, HOLD);

        q.purge();

        q.delete(m);
        assertThatThrownBy(() -> q.changeVisibility(m, Duration.ZERO)).isInstanceOf(StaleReceiptException.class);
        assertQueueEmpty(q);
    }

    @Test
    void purge_ofFifoQueue_unblocksGroupsForNewMessages() {
        MessageQueue q = queue(FIFO);
        sendToGroup(q, "g", 3);
        receiveOne(q, HOLD);

        q.purge();
        assertQueueEmpty(q);
        q.send(fifoMessage("g", "after purge"));

        assertThat(receiveOne(q).body()).isEqualTo("after purge");
    }

    @Test
    void queue_acceptsNewMessagesAfterPurge() {
        MessageQueue q = queue(STANDARD);
        sendNumbered(q, "before", 2);
        q.purge();
        assertQueueEmpty(q);

        q.send("after");

        assertThat(receiveAll(q, 1).get(0).body()).isEqualTo("after");
    }
}
