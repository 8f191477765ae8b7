package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.LONG_VISIBILITY;
import static io.github.mq4j.testkit.TestTopology.PLAIN;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static io.github.mq4j.testkit.TestTopology.VISIBILITY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.StaleReceiptException;
import io.github.mq4j.ValidationException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * At-least-once delivery, visibility timeouts and receipts: a received message is hidden for the
 * request's or the queue's visibility timeout and delivered again after it, one receive count
 * higher; only the latest receipt deletes or changes it; a stale or foreign receipt never touches
 * a message someone else holds.
 */
public abstract class VisibilityAndReceiptsContract extends ConformanceTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    // ---------------------------------------------------------------- visibility timeout

    @Test
    void receive_hidesMessageUntilQueueVisibilityTimeout() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        receiveOne(q);

        advance(ONE_SECOND);
        assertNothingToReceive(q);

        advance(ONE_SECOND);
        ReceivedMessage again = receiveOne(q);
        assertThat(again.body()).isEqualTo("job");
    }

    @Test
    void redelivery_incrementsReceiveCountAndKeepsIdentity() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage first = receiveOne(q);

        advance(VISIBILITY_TIMEOUT);
        ReceivedMessage second = receiveOne(q);
        advance(VISIBILITY_TIMEOUT);
        ReceivedMessage third = receiveOne(q);

        assertThat(first.receiveCount()).isEqualTo(1);
        assertThat(second.receiveCount()).isEqualTo(2);
        assertThat(third.receiveCount()).isEqualTo(3);
        assertThat(List.of(second.messageId(), third.messageId())).containsOnly(first.messageId());
        assertThat(List.of(second.body(), third.body())).containsOnly("job");
        assertThat(List.of(second.sentAt(), third.sentAt())).containsOnly(first.sentAt());
        assertThat(List.of(second.firstReceivedAt(), third.firstReceivedAt()))
                .as("firstReceivedAt does not change on redelivery").containsOnly(first.firstReceivedAt());
        assertThat(List.of(first.receipt(), second.receipt(), third.receipt())).doesNotHaveDuplicates();
    }

    @Test
    void firstReceivedAt_isTimeOfFirstReceiveNotOfSend() {
        MessageQueue q = queue(STANDARD);
        q.send("waits a while");
        advance(VISIBILITY_TIMEOUT);

        ReceivedMessage m = receiveOne(q);

        assertThat(Duration.between(m.sentAt(), m.firstReceivedAt()))
                .as("time between send and first receive")
                .isGreaterThanOrEqualTo(VISIBILITY_TIMEOUT.minusMillis(500));
    }

    @Test
    void receive_requestVisibilityTimeoutOverridesQueueTimeout() {
        MessageQueue q = queue(LONG_VISIBILITY);
        q.send("job");
        receiveOne(q, ONE_SECOND);

        advance(ONE_SECOND);

        ReceivedMessage again = receiveOne(q);
        assertThat(again.receiveCount()).isEqualTo(2);
    }

    @Test
    void receive_withoutVisibilityTimeout_usesQueueTimeout() {
        MessageQueue q = queue(LONG_VISIBILITY);
        q.send("job");
        receiveOne(q);

        advance(VISIBILITY_TIMEOUT);

        assertNothingToReceive(q);
        awaitCounts(q, 0, 1, 0);
    }

    @Test
    void receive_requestVisibilityTimeoutLongerThanQueueTimeout_keepsMessageHidden() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        receiveOne(q, Duration.ofSeconds(4));

        advance(VISIBILITY_TIMEOUT);
        assertNothingToReceive(q);

        advance(VISIBILITY_TIMEOUT);
        assertThat(receiveOne(q).receiveCount()).isEqualTo(2);
    }

    @Test
    void receive_withZeroVisibilityTimeout_leavesMessageVisible() {
        MessageQueue q = queue(LONG_VISIBILITY);
        q.send("job");

        ReceivedMessage first = receiveOne(q, Duration.ZERO);
        ReceivedMessage second = receiveOne(q, HOLD);

        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(second.receiveCount()).isEqualTo(2);
    }

    @Test
    void receive_withMaximumVisibilityTimeout_isAccepted() {
        MessageQueue q = queue(STANDARD);
        q.send("job");

        ReceivedMessage m = receiveOne(q, Limits.MAX_VISIBILITY_TIMEOUT);

        assertThat(m.body()).isEqualTo("job");
        assertNothingToReceive(q);
    }

    // ---------------------------------------------------------------- changeVisibility

    @Test
    void changeVisibility_toZero_makesMessageVisibleAtOnce() {
        MessageQueue q = queue(LONG_VISIBILITY);
        q.send("job");
        ReceivedMessage first = receiveOne(q);

        q.changeVisibility(first, Duration.ZERO);

        ReceivedMessage second = receiveOne(q, HOLD);
        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(second.receiveCount()).isEqualTo(2);
        assertThat(second.receipt()).isNotEqualTo(first.receipt());
    }

    @Test
    void changeVisibility_extendsHidingFromNow() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage m = receiveOne(q);

        q.changeVisibility(m, Duration.ofSeconds(4));
        advance(VISIBILITY_TIMEOUT);
        assertNothingToReceive(q);

        advance(VISIBILITY_TIMEOUT);
        assertThat(receiveOne(q).receiveCount()).isEqualTo(2);
    }

    @Test
    void changeVisibility_shortensHiding() {
        MessageQueue q = queue(LONG_VISIBILITY);
        q.send("job");
        ReceivedMessage m = receiveOne(q);

        q.changeVisibility(m.receipt(), ONE_SECOND);
        advance(ONE_SECOND);

        assertThat(receiveOne(q).receiveCount()).isEqualTo(2);
    }

    @Test
    void changeVisibility_canBeRepeatedWithSameReceipt() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage m = receiveOne(q);

        q.changeVisibility(m, HOLD);
        q.changeVisibility(m, HOLD);
        q.changeVisibility(m, Duration.ZERO);

        assertThat(receiveOne(q).receiveCount()).isEqualTo(2);
    }

    @Test
    void changeVisibility_toElevenHours_keepsMessageHidden() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage m = receiveOne(q);

        q.changeVisibility(m, Duration.ofHours(11));

        advance(VISIBILITY_TIMEOUT);
        assertNothingToReceive(q);
    }

    @Test
    void changeVisibility_withStaleReceipt_throwsAndChangesNothing() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage first = receiveOne(q, Duration.ZERO);
        ReceivedMessage second = receiveOne(q, HOLD);

        assertThatThrownBy(() -> q.changeVisibility(first, Duration.ZERO))
                .isInstanceOf(StaleReceiptException.class)
                .satisfies(e -> assertThat(((StaleReceiptException) e).queue()).isEqualTo(STANDARD));

        assertNothingToReceive(q);
        q.changeVisibility(second, Duration.ZERO);
        assertThat(receiveOne(q).receiveCount()).isEqualTo(3);
    }

    @Test
    void changeVisibility_afterTimeoutPassed_throwsStaleReceipt() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage m = receiveOne(q);

        advance(VISIBILITY_TIMEOUT);

        assertThatThrownBy(() -> q.changeVisibility(m, HOLD)).isInstanceOf(StaleReceiptException.class);
        assertThat(receiveOne(q).receiveCount()).as("message stayed visible").isEqualTo(2);
    }

    @Test
    void changeVisibility_ofDeletedMessage_throwsStaleReceipt() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage m = receiveOne(q);
        q.delete(m);

        assertThatThrownBy(() -> q.changeVisibility(m, Duration.ZERO)).isInstanceOf(StaleReceiptException.class);
        assertQueueEmpty(q);
    }

    // ---------------------------------------------------------------- receipts and delete

    @Test
    void delete_withCurrentReceiptAfterTimeoutPassed_deletesMessage() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage m = receiveOne(q);

        advance(VISIBILITY_TIMEOUT);
        q.delete(m);

        assertQueueEmpty(q);
    }

    @Test
    void delete_withStaleReceipt_doesNothing() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage first = receiveOne(q);
        advance(VISIBILITY_TIMEOUT);
        ReceivedMessage second = receiveOne(q, HOLD);

        q.delete(first);

        awaitCounts(q, 0, 1, 0);
        q.changeVisibility(second, Duration.ZERO);
        ReceivedMessage third = receiveOne(q, HOLD);
        assertThat(third.messageId()).isEqualTo(first.messageId());
        assertThat(third.receiveCount()).isEqualTo(3);
    }

    @Test
    void delete_withStaleReceipt_leavesNewHolderAbleToDelete() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        ReceivedMessage first = receiveOne(q, Duration.ZERO);
        ReceivedMessage second = receiveOne(q, HOLD);

        q.delete(first);
        q.delete(second);

        assertQueueEmpty(q);
    }

    @Test
    void delete_withUnknownReceipt_isValidationErrorForReceipt() {
        MessageQueue q = queue(STANDARD);
        q.send("job");

        assertThatThrownBy(() -> q.delete("not-a-receipt-this-backend-issued"))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("receipt"));

        assertThat(receiveOne(q).body()).isEqualTo("job");
    }

    @Test
    void changeVisibility_withUnknownReceipt_isValidationErrorForReceipt() {
        MessageQueue q = queue(STANDARD);

        assertThatThrownBy(() -> q.changeVisibility("not-a-receipt-this-backend-issued", Duration.ZERO))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("receipt"));
    }

    @Test
    void delete_withReceiptOfAnotherQueue_isValidationErrorAndDeletesNothing() {
        MessageQueue a = queue(STANDARD);
        MessageQueue b = queue(PLAIN);
        a.send("in a");
        b.send("in b");
        ReceivedMessage fromA = receiveOne(a);
        receiveOne(b, Duration.ofSeconds(1));

        assertThatThrownBy(() -> b.delete(fromA.receipt()))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("receipt"));

        awaitCounts(a, 0, 1, 0);
        advance(VISIBILITY_TIMEOUT);
        assertThat(receiveOne(a).body()).isEqualTo("in a");
        assertThat(receiveOne(b).body()).isEqualTo("in b");
    }

    @Test
    void changeVisibility_withReceiptOfAnotherQueue_isValidationErrorAndChangesNothing() {
        MessageQueue a = queue(LONG_VISIBILITY);
        MessageQueue b = queue(PLAIN);
        a.send("in a");
        ReceivedMessage fromA = receiveOne(a);

        assertThatThrownBy(() -> b.changeVisibility(fromA.receipt(), Duration.ZERO))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("receipt"));

        assertNothingToReceive(a);
        assertNothingToReceive(b);
    }

    @Test
    void receiptOfFifoMessage_afterRedelivery_isStale() {
        MessageQueue q = queue(FIFO);
        q.send(fifoMessage("g", "one"));
        ReceivedMessage first = receiveOne(q, Duration.ZERO);
        ReceivedMessage second = receiveOne(q, HOLD);

        q.delete(first);
        assertThatThrownBy(() -> q.changeVisibility(first, Duration.ZERO)).isInstanceOf(StaleReceiptException.class);

        assertThat(second.receiveCount()).isEqualTo(2);
        awaitCounts(q, 0, 1, 0);
        q.delete(second);
        assertQueueEmpty(q);
    }

    @Test
    void inFlightMessage_isCountedAndReturnsAfterTimeout() {
        MessageQueue q = queue(STANDARD);
        q.send("job");
        q.receive(ReceiveRequest.builder().waitTime(POLL_WAIT).build());

        awaitCounts(q, 0, 1, 0);
        advance(VISIBILITY_TIMEOUT);
        awaitCounts(q, 1, 0, 0);
    }
}
