package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.DELAYED;
import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.PLAIN;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static io.github.mq4j.testkit.TestTopology.VISIBILITY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceivedMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stats: approximate counts of visible, in-flight and delayed messages per queue, and the age of
 * the oldest message where the backend can know it. Counts are polled until they settle, so a
 * backend whose counts lag a little passes.
 */
public abstract class StatsContract extends ConformanceTest {

    @Test
    void stats_ofEmptyQueue_areZero() {
        QueueStats stats = queue(STANDARD).stats();

        assertThat(stats.queue()).isEqualTo(STANDARD);
        assertThat(stats.visible()).isZero();
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.delayed()).isZero();
        assertThat(stats.total()).isZero();
        assertThat(stats.oldestMessageAge()).isNull();
    }

    @Test
    void stats_countSentMessagesAsVisible() {
        MessageQueue q = queue(STANDARD);

        sendNumbered(q, "s", 7);

        QueueStats stats = awaitCounts(q, 7, 0, 0);
        assertThat(stats.total()).isEqualTo(7);
    }

    @Test
    void stats_countReceivedMessagesAsInFlight() {
        MessageQueue q = queue(STANDARD);
        sendNumbered(q, "s", 5);

        receiveAll(q, 5);

        awaitCounts(q, 0, 5, 0);
    }

    @Test
    void stats_separateVisibleAndInFlight() {
        MessageQueue q = queue(STANDARD);
        sendNumbered(q, "s", 5);

        List<ReceivedMessage> two = receiveUpTo(q, 2, HOLD);

        assertThat(two).hasSize(2);
        awaitCounts(q, 3, 2, 0);
    }

    @Test
    void stats_dropDeletedMessages() {
        MessageQueue q = queue(STANDARD);
        sendNumbered(q, "s", 3);
        List<ReceivedMessage> received = receiveAll(q, 3);

        q.delete(received.get(0));
        awaitCounts(q, 0, 2, 0);
        q.delete(received.get(1));
        q.delete(received.get(2));

        QueueStats stats = awaitCounts(q, 0, 0, 0);
        assertThat(stats.oldestMessageAge()).isNull();
    }

    @Test
    void stats_countInFlightAsVisibleAgainAfterTimeout() {
        MessageQueue q = queue(STANDARD);
        sendNumbered(q, "s", 2);
        receiveAll(q, 2, VISIBILITY_TIMEOUT);
        awaitCounts(q, 0, 2, 0);

        advance(VISIBILITY_TIMEOUT);

        awaitCounts(q, 2, 0, 0);
    }

    @Test
    void stats_countDelayedMessagesAsDelayed() {
        MessageQueue q = queue(STANDARD);
        q.send(OutgoingMessage.builder("later").delay(Duration.ofSeconds(2)).build());
        q.send("now");

        awaitCounts(q, 1, 0, 1);
        advance(Duration.ofSeconds(2));
        awaitCounts(q, 2, 0, 0);
    }

    @Test
    void stats_countQueueDelayedMessagesAsDelayed() {
        MessageQueue q = queue(DELAYED);
        sendNumbered(q, "d", 3);

        awaitCounts(q, 0, 0, 3);
    }

    @Test
    void stats_areKeptPerQueue() {
        sendNumbered(queue(STANDARD), "s", 2);
        sendNumbered(queue(PLAIN), "p", 3);

        awaitCounts(queue(STANDARD), 2, 0, 0);
        awaitCounts(queue(PLAIN), 3, 0, 0);
        awaitCounts(queue(FIFO), 0, 0, 0);
    }

    @Test
    void stats_ofFifoQueue_countInFlightMessages() {
        MessageQueue q = queue(FIFO);
        sendToGroup(q, "a", 1);
        sendToGroup(q, "b", 1);

        receiveOne(q, HOLD);

        awaitCounts(q, 1, 1, 0);
    }

    @Test
    void stats_reportAgeOfOldestMessage() {
        assumeNoGap(KnownGap.OLDEST_MESSAGE_AGE);
        MessageQueue q = queue(STANDARD);
        q.send("old");
        Duration passed = Duration.ofSeconds(2);

        advance(passed);
        q.send("new");

        QueueStats stats = awaitCounts(q, 2, 0, 0);
        assertThat(stats.oldestMessageAge()).as("oldestMessageAge").isNotNull();
        assertThat(stats.oldestMessageAge()).isBetween(passed.minusMillis(500), passed.plus(CLOCK_TOLERANCE));
    }

    @Test
    void stats_oldestMessageAge_countsInFlightMessages() {
        assumeNoGap(KnownGap.OLDEST_MESSAGE_AGE);
        MessageQueue q = queue(STANDARD);
        q.send("held");
        receiveOne(q, HOLD);

        advance(Duration.ofSeconds(2));

        QueueStats stats = awaitCounts(q, 0, 1, 0);
        assertThat(stats.oldestMessageAge()).isNotNull();
        assertThat(stats.oldestMessageAge()).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }
}
