package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.DELAYED;
import static io.github.mq4j.testkit.TestTopology.DELAYED_FIFO;
import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.QUEUE_DELAY;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.ValidationException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Delays: a standard queue takes a per-message delay of 0 to 900 s, else applies its own; a FIFO
 * queue applies only its own and rejects a per-message delay, even 0. A delayed message is
 * counted as delayed, not visible, until its delay has passed.
 */
public abstract class DelayContract extends ConformanceTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    void send_withDelay_hidesMessageUntilDelayPassed() {
        MessageQueue q = queue(STANDARD);
        q.send(OutgoingMessage.builder("later").delay(Duration.ofSeconds(2)).build());

        assertNothingToReceive(q);
        advance(ONE_SECOND);
        assertNothingToReceive(q);
        advance(ONE_SECOND);

        ReceivedMessage m = receiveOne(q);
        assertThat(m.body()).isEqualTo("later");
        assertThat(m.receiveCount()).isEqualTo(1);
    }

    @Test
    void delayedMessage_isCountedAsDelayedThenVisible() {
        MessageQueue q = queue(STANDARD);
        q.send(OutgoingMessage.builder("later").delay(Duration.ofSeconds(2)).build());

        awaitCounts(q, 0, 0, 1);
        advance(Duration.ofSeconds(2));
        awaitCounts(q, 1, 0, 0);
    }

    @Test
    void send_withZeroDelay_isVisibleAtOnce() {
        MessageQueue q = queue(STANDARD);

        q.send(OutgoingMessage.builder("now").delay(Duration.ZERO).build());

        assertThat(receiveOne(q).body()).isEqualTo("now");
    }

    @Test
    void send_withMaximumDelay_isAcceptedAndHidden() {
        MessageQueue q = queue(STANDARD);

        q.send(OutgoingMessage.builder("much later").delay(Limits.MAX_DELAY).build());

        assertNothingToReceive(q);
        awaitCounts(q, 0, 0, 1);
    }

    @Test
    void delay_doesNotHoldBackUndelayedMessages() {
        MessageQueue q = queue(STANDARD);
        q.send(OutgoingMessage.builder("later").delay(Duration.ofSeconds(2)).build());
        q.send("now");

        List<ReceivedMessage> received = receiveAll(q, 1);

        assertThat(received.get(0).body()).isEqualTo("now");
    }

    @Test
    void delay_startsAtSendNotAtAnEarlierMessage() {
        MessageQueue q = queue(STANDARD);
        q.send(OutgoingMessage.builder("first").delay(Duration.ofSeconds(2)).build());
        advance(ONE_SECOND);
        q.send(OutgoingMessage.builder("second").delay(Duration.ofSeconds(2)).build());

        advance(ONE_SECOND);
        assertThat(bodies(receiveAll(q, 1))).containsExactly("first");

        advance(ONE_SECOND);
        assertThat(bodies(receiveAll(q, 1))).containsExactly("second");
    }

    @Test
    void queueDelay_appliesWhenMessageNamesNone() {
        MessageQueue q = queue(DELAYED);
        q.send("queue-delayed");

        assertNothingToReceive(q);
        awaitCounts(q, 0, 0, 1);
        advance(QUEUE_DELAY);

        assertThat(receiveOne(q).body()).isEqualTo("queue-delayed");
    }

    @Test
    void messageDelay_overridesQueueDelay() {
        MessageQueue q = queue(DELAYED);

        q.send(OutgoingMessage.builder("not delayed").delay(Duration.ZERO).build());

        assertThat(receiveOne(q).body()).isEqualTo("not delayed");
    }

    @Test
    void messageDelay_longerThanQueueDelay_wins() {
        MessageQueue q = queue(DELAYED);
        q.send(OutgoingMessage.builder("longer").delay(Duration.ofSeconds(4)).build());

        advance(QUEUE_DELAY);
        assertNothingToReceive(q);
        advance(Duration.ofSeconds(2));

        assertThat(receiveOne(q).body()).isEqualTo("longer");
    }

    @Test
    void queueDelay_appliesToEveryMessageOfABatch() {
        MessageQueue q = queue(DELAYED);
        sendNumbered(q, "batch", 3);

        assertNothingToReceive(q);
        advance(QUEUE_DELAY);

        assertThat(bodies(receiveAll(q, 3))).containsExactlyInAnyOrder("batch-0", "batch-1", "batch-2");
    }

    @Test
    void fifoQueue_rejectsPerMessageDelay() {
        MessageQueue q = queue(FIFO);

        assertThatThrownBy(() -> q.send(fifoMessage("g", "x").toBuilder().delay(Duration.ofSeconds(5)).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("delay")
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("delay"));
        assertQueueEmpty(q);
    }

    @Test
    void fifoQueue_rejectsEvenZeroPerMessageDelay() {
        MessageQueue q = queue(FIFO);

        assertThatThrownBy(() -> q.send(fifoMessage("g", "x").toBuilder().delay(Duration.ZERO).build()))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("delay"));
        assertQueueEmpty(q);
    }

    @Test
    void fifoQueueDelay_hidesMessagesThenDeliversThemInOrder() {
        MessageQueue q = queue(DELAYED_FIFO);
        sendToGroup(q, "g", 3);

        assertNothingToReceive(q);
        awaitCounts(q, 0, 0, 3);
        advance(QUEUE_DELAY);

        List<String> order = bodies(receiveAndDeleteAll(q, 3));
        assertThat(order).containsExactly("g-0", "g-1", "g-2");
    }
}
