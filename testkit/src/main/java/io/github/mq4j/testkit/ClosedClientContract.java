package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static io.github.mq4j.testkit.TestTopology.STANDARD_DLQ;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.VisibilityChange;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * A closed client: every operation, on the client or on a queue obtained before the close, throws
 * {@link IllegalStateException}; closing twice is harmless; closing one client leaves another
 * client of the same backend working.
 */
public abstract class ClosedClientContract extends ConformanceTest {

    private static void assertClosed(String operation, ThrowingCallable call) {
        assertThatThrownBy(call).as(operation).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void close_twice_isHarmless() {
        QueueClient c = client();

        c.close();

        assertThatCode(c::close).doesNotThrowAnyException();
    }

    @Test
    void queueLookup_afterClose_throwsIllegalState() {
        client().close();

        assertClosed("queue(name)", () -> client().queue(STANDARD));
    }

    @Test
    void everyQueueOperation_afterClose_throwsIllegalState() {
        MessageQueue q = queue(STANDARD);
        MessageQueue dlq = queue(STANDARD_DLQ);
        q.send("received before close");
        ReceivedMessage m = receiveOne(q, HOLD);

        client().close();

        assertClosed("send", () -> q.send("after close"));
        assertClosed("send(message)", () -> q.send(OutgoingMessage.builder("after close").attribute("a", "b").build()));
        assertClosed("sendBatch", () -> q.sendBatch(List.of(OutgoingMessage.of("after close"))));
        assertClosed("receive", () -> q.receive(ReceiveRequest.of(1, Duration.ZERO)));
        assertClosed("receive()", q::receive);
        assertClosed("delete", () -> q.delete(m));
        assertClosed("deleteBatch", () -> q.deleteBatch(List.of(m.receipt())));
        assertClosed("changeVisibility", () -> q.changeVisibility(m, Duration.ZERO));
        assertClosed("changeVisibilityBatch", () -> q.changeVisibilityBatch(List.of(new VisibilityChange(m.receipt(), Duration.ZERO))));
        assertClosed("moveToDeadLetter", () -> q.moveToDeadLetter(m));
        assertClosed("stats", q::stats);
        assertClosed("purge", q::purge);
        assertClosed("redrive", () -> dlq.redrive(RedriveRequest.toSource()));
    }

    @Test
    void fifoQueueOperations_afterClose_throwIllegalState() {
        MessageQueue q = queue(FIFO);

        client().close();

        assertClosed("send", () -> q.send(fifoMessage("g", "after close")));
        assertClosed("receive", () -> q.receive(ReceiveRequest.of(10)));
    }

    @Test
    void closingOneClient_leavesAnotherClientWorking() {
        QueueClient other = backend().open(topology());
        try {
            MessageQueue q = other.queue(STANDARD);
            q.send("still works");

            client().close();

            org.assertj.core.api.Assertions.assertThat(receiveOne(q).body()).isEqualTo("still works");
        } finally {
            other.close();
        }
    }
}
