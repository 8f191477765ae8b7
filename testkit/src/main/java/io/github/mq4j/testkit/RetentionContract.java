package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.EXPIRING;
import static io.github.mq4j.testkit.TestTopology.EXPIRING_DLQ;
import static io.github.mq4j.testkit.TestTopology.EXPIRING_SOURCE;
import static io.github.mq4j.testkit.TestTopology.SHORT_RETENTION;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention: a message older than its queue's retention period, counted from its original send
 * (also in a dead-letter queue), is deleted and never delivered. Every test here needs time to
 * pass by a minute or more.
 */
public abstract class RetentionContract extends ConformanceTest {

    private static final Duration PAST_RETENTION = SHORT_RETENTION.plusSeconds(1);
    private static final Duration WELL_WITHIN = SHORT_RETENTION.minusSeconds(20);

    @BeforeEach
    final void requireRetention() {
        assumeNoGap(KnownGap.RETENTION);
    }

    @Test
    void message_olderThanRetention_isNeverDelivered() {
        assumeCanAdvance(PAST_RETENTION);
        MessageQueue q = queue(EXPIRING);
        q.send("stale");

        advance(PAST_RETENTION);

        assertNothingToReceive(q);
        assertQueueEmpty(q);
    }

    @Test
    void message_withinRetention_isDelivered() {
        assumeCanAdvance(WELL_WITHIN);
        MessageQueue q = queue(EXPIRING);
        q.send("fresh");

        advance(WELL_WITHIN);

        assertThat(receiveOne(q).body()).isEqualTo("fresh");
    }

    @Test
    void retention_countsFromEachMessagesOwnSend() {
        assumeCanAdvance(WELL_WITHIN);
        MessageQueue q = queue(EXPIRING);
        q.send("older");
        advance(WELL_WITHIN);
        q.send("newer");

        advance(Duration.ofSeconds(21));

        assertThat(receiveAll(q, 1).get(0).body()).isEqualTo("newer");
    }

    @Test
    void inFlightMessage_olderThanRetention_isNotDeliveredAgain() {
        assumeCanAdvance(PAST_RETENTION);
        MessageQueue q = queue(EXPIRING);
        q.send("stale");
        ReceivedMessage m = receiveOne(q);
        assertThat(m.body()).isEqualTo("stale");

        advance(PAST_RETENTION);

        assertQueueEmpty(q);
    }

    @Test
    void delayedMessage_olderThanRetention_isNeverDelivered() {
        assumeCanAdvance(PAST_RETENTION);
        MessageQueue q = queue(EXPIRING);
        q.send(OutgoingMessage.builder("delayed and stale").delay(Duration.ofSeconds(30)).build());

        advance(PAST_RETENTION);

        assertQueueEmpty(q);
    }

    @Test
    void retention_ofOneQueue_doesNotAffectAnother() {
        assumeCanAdvance(PAST_RETENTION);
        MessageQueue expiring = queue(EXPIRING);
        MessageQueue longLived = queue(STANDARD);
        expiring.send("goes");
        longLived.send("stays");

        advance(PAST_RETENTION);

        assertQueueEmpty(expiring);
        assertThat(receiveOne(longLived).body()).isEqualTo("stays");
    }

    @Test
    void deadLetterRetention_countsFromOriginalSend() {
        assumeCanAdvance(WELL_WITHIN);
        MessageQueue source = queue(EXPIRING_SOURCE);
        MessageQueue dlq = queue(EXPIRING_DLQ);
        source.send("poison");
        advance(WELL_WITHIN);
        receiveOne(source, Duration.ZERO);
        assertNothingToReceive(source);
        ReceivedMessage dead = receiveOne(dlq, Duration.ZERO);
        assertThat(dead.deadLetterSource()).isEqualTo(EXPIRING_SOURCE);

        advance(Duration.ofSeconds(21));

        assertQueueEmpty(dlq);
        assertQueueEmpty(source);
    }

    @Test
    void deadLetterMessage_withinRetentionOfOriginalSend_isDelivered() {
        assumeCanAdvance(WELL_WITHIN);
        MessageQueue source = queue(EXPIRING_SOURCE);
        MessageQueue dlq = queue(EXPIRING_DLQ);
        source.send("poison");
        receiveOne(source, Duration.ZERO);
        assertNothingToReceive(source);

        advance(WELL_WITHIN);

        ReceivedMessage dead = receiveOne(dlq);
        assertThat(dead.body()).isEqualTo("poison");
        assertThat(dead.deadLetterSource()).isEqualTo(EXPIRING_SOURCE);
    }

    @Test
    void redrivenMessage_retentionCountsFromTheRedrive() {
        assumeCanAdvance(WELL_WITHIN);
        MessageQueue source = queue(EXPIRING_SOURCE);
        MessageQueue dlq = queue(EXPIRING_DLQ);
        MessageQueue expiring = queue(EXPIRING);
        source.send("poison");
        receiveOne(source, Duration.ZERO);
        assertNothingToReceive(source);
        advance(WELL_WITHIN);
        assertThat(dlq.redrive(RedriveRequest.to(EXPIRING)).moved()).isEqualTo(1);

        advance(Duration.ofSeconds(21));

        assertThat(receiveOne(expiring).body()).isEqualTo("poison");
    }
}
