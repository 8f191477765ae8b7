package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.FIFO_DLQ;
import static io.github.mq4j.testkit.TestTopology.PLAIN;
import static io.github.mq4j.testkit.TestTopology.PLAIN_FIFO;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static io.github.mq4j.testkit.TestTopology.STANDARD_B;
import static io.github.mq4j.testkit.TestTopology.STANDARD_DLQ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.RedriveResult;
import io.github.mq4j.UnknownQueueException;
import io.github.mq4j.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Redrive: the visible messages of a dead-letter queue move back to their source queues, or to a
 * destination of the same type, optionally rate-limited. Moved messages keep body, attributes and
 * group id, start again with a receive count of 0 and no dead-letter source; message ids may
 * change. Messages in flight stay, and so do messages of unknown source when no destination is
 * given.
 */
public abstract class RedriveContract extends ConformanceTest {

    private static final Map<String, String> ATTRIBUTES = Map.of("tenant", "t-42", "attempt", "3");

    /** Sends {@code body} (with {@link #ATTRIBUTES}) to {@code source} and moves it to its dead-letter queue. */
    private void deadLetter(String source, String body) {
        MessageQueue q = queue(source);
        q.send(OutgoingMessage.builder(body).attributes(ATTRIBUTES).build());
        q.moveToDeadLetter(receiveOne(q, HOLD));
    }

    /** Sends {@code body} to FIFO group {@code groupId} of {@link TestTopology#FIFO} and moves it to its dead-letter queue. */
    private void deadLetterFifo(String groupId, String body) {
        MessageQueue q = queue(FIFO);
        q.send(OutgoingMessage.builder(body).groupId(groupId).deduplicationId(body).attributes(ATTRIBUTES).build());
        ReceivedMessage m = receiveOne(q, HOLD);
        assertThat(m.body()).isEqualTo(body);
        q.moveToDeadLetter(m);
    }

    @Test
    void redrive_movesMessagesBackToTheirSourceQueue() {
        deadLetter(STANDARD, "retry me");
        MessageQueue dlq = queue(STANDARD_DLQ);
        awaitCounts(dlq, 1, 0, 0);

        RedriveResult result = dlq.redrive(RedriveRequest.toSource());

        assertThat(result.moved()).isEqualTo(1);
        assertQueueEmpty(dlq);
        ReceivedMessage back = receiveOne(queue(STANDARD), HOLD);
        assertThat(back.queue()).isEqualTo(STANDARD);
        assertThat(back.body()).isEqualTo("retry me");
        assertThat(back.attributes()).isEqualTo(ATTRIBUTES);
        assertThat(back.deadLetterSource()).isNull();
        assertThat(back.receiveCount()).as("receive count starts again").isEqualTo(1);
    }

    @Test
    void redrive_returnsEachMessageToItsOwnSource() {
        deadLetter(STANDARD, "from standard");
        deadLetter(STANDARD_B, "from standard-b");
        MessageQueue dlq = queue(STANDARD_DLQ);
        awaitCounts(dlq, 2, 0, 0);

        RedriveResult result = dlq.redrive(RedriveRequest.toSource());

        assertThat(result.moved()).isEqualTo(2);
        assertThat(receiveAll(queue(STANDARD), 1).get(0).body()).isEqualTo("from standard");
        assertThat(receiveAll(queue(STANDARD_B), 1).get(0).body()).isEqualTo("from standard-b");
        assertQueueEmpty(dlq);
    }

    @Test
    void redrive_toDestination_movesEveryMessageThere() {
        deadLetter(STANDARD, "from standard");
        deadLetter(STANDARD_B, "from standard-b");
        MessageQueue dlq = queue(STANDARD_DLQ);
        awaitCounts(dlq, 2, 0, 0);

        RedriveResult result = dlq.redrive(RedriveRequest.to(PLAIN));

        assertThat(result.moved()).isEqualTo(2);
        List<ReceivedMessage> moved = receiveAll(queue(PLAIN), 2);
        assertThat(bodies(moved)).containsExactlyInAnyOrder("from standard", "from standard-b");
        assertThat(moved).allSatisfy(m -> {
            assertThat(m.queue()).isEqualTo(PLAIN);
            assertThat(m.attributes()).isEqualTo(ATTRIBUTES);
            assertThat(m.deadLetterSource()).isNull();
            assertThat(m.receiveCount()).isEqualTo(1);
        });
        assertQueueEmpty(queue(STANDARD));
        assertQueueEmpty(queue(STANDARD_B));
        assertQueueEmpty(dlq);
    }

    @Test
    void redrive_withRateLimit_stillMovesEverything() {
        for (int i = 0; i < 5; i++) {
            deadLetter(STANDARD, "limited-" + i);
        }
        MessageQueue dlq = queue(STANDARD_DLQ);
        awaitCounts(dlq, 5, 0, 0);

        RedriveResult result = dlq.redrive(RedriveRequest.toSource().withRateLimit(20));

        assertThat(result.moved()).isEqualTo(5);
        assertThat(bodies(receiveAll(queue(STANDARD), 5)))
                .containsExactlyInAnyOrder("limited-0", "limited-1", "limited-2", "limited-3", "limited-4");
        assertQueueEmpty(dlq);
    }

    @Test
    void redrive_toDestinationWithRateLimit_movesEverything() {
        deadLetter(STANDARD, "a");
        deadLetter(STANDARD, "b");
        MessageQueue dlq = queue(STANDARD_DLQ);
        awaitCounts(dlq, 2, 0, 0);

        RedriveResult result = dlq.redrive(RedriveRequest.to(PLAIN).withRateLimit(Limits.MAX_REDRIVE_RATE));

        assertThat(result.moved()).isEqualTo(2);
        assertThat(bodies(receiveAll(queue(PLAIN), 2))).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void redrive_leavesMessagesInFlight() {
        deadLetter(STANDARD, "held");
        MessageQueue dlq = queue(STANDARD_DLQ);
        ReceivedMessage held = receiveOne(dlq, HOLD);
        deadLetter(STANDARD, "visible");
        awaitCounts(dlq, 1, 1, 0);

        RedriveResult result = dlq.redrive(RedriveRequest.toSource());

        assertThat(result.moved()).isEqualTo(1);
        assertThat(receiveAll(queue(STANDARD), 1).get(0).body()).isEqualTo("visible");
        awaitCounts(dlq, 0, 1, 0);
        dlq.delete(held);
        assertQueueEmpty(dlq);
    }

    @Test
    void redrive_toSource_leavesMessagesOfUnknownSource() {
        MessageQueue dlq = queue(STANDARD_DLQ);
        dlq.send("sent straight to the dead-letter queue");
        deadLetter(STANDARD, "dead-lettered");
        awaitCounts(dlq, 2, 0, 0);

        RedriveResult result = dlq.redrive(RedriveRequest.toSource());

        assertThat(result.moved()).isEqualTo(1);
        assertThat(receiveAll(queue(STANDARD), 1).get(0).body()).isEqualTo("dead-lettered");
        ReceivedMessage stayed = receiveAll(dlq, 1).get(0);
        assertThat(stayed.body()).isEqualTo("sent straight to the dead-letter queue");
        assertThat(stayed.deadLetterSource()).isNull();
    }

    @Test
    void redrive_toDestination_movesMessagesOfUnknownSourceToo() {
        MessageQueue dlq = queue(STANDARD_DLQ);
        dlq.send("sent straight to the dead-letter queue");
        awaitCounts(dlq, 1, 0, 0);

        RedriveResult result = dlq.redrive(RedriveRequest.to(PLAIN));

        assertThat(result.moved()).isEqualTo(1);
        assertThat(receiveAll(queue(PLAIN), 1).get(0).body()).isEqualTo("sent straight to the dead-letter queue");
        assertQueueEmpty(dlq);
    }

    @Test
    void redrive_ofEmptyDeadLetterQueue_movesNothing() {
        RedriveResult result = queue(STANDARD_DLQ).redrive(RedriveRequest.toSource());

        assertThat(result.moved()).isZero();
        assertQueueEmpty(queue(STANDARD));
    }

    @Test
    void redrivenMessage_canDeadLetterAgainAfterMaxReceives() {
        deadLetter(STANDARD, "twice poison");
        MessageQueue dlq = queue(STANDARD_DLQ);
        awaitCounts(dlq, 1, 0, 0);
        dlq.redrive(RedriveRequest.toSource());
        MessageQueue q = queue(STANDARD);

        for (int i = 1; i <= TestTopology.MAX_RECEIVE_COUNT; i++) {
            assertThat(receiveOne(q, java.time.Duration.ZERO).receiveCount()).isEqualTo(i);
        }
        assertNothingToReceive(q);

        ReceivedMessage dead = receiveOne(dlq, HOLD);
        assertThat(dead.body()).isEqualTo("twice poison");
        assertThat(dead.deadLetterSource()).isEqualTo(STANDARD);
    }

    @Test
    void redrive_ofFifoDeadLetterQueue_keepsGroupIdAndOrder() {
        deadLetterFifo("g", "g-0");
        deadLetterFifo("g", "g-1");
        deadLetterFifo("h", "h-0");
        MessageQueue dlq = queue(FIFO_DLQ);
        awaitCounts(dlq, 3, 0, 0);

        RedriveResult result = dlq.redrive(RedriveRequest.toSource());

        assertThat(result.moved()).isEqualTo(3);
        List<ReceivedMessage> back = receiveAndDeleteAll(queue(FIFO), 3);
        assertThat(back).allSatisfy(m -> {
            assertThat(m.groupId()).isEqualTo(m.body().substring(0, 1));
            assertThat(m.attributes()).isEqualTo(ATTRIBUTES);
            assertThat(m.deadLetterSource()).isNull();
            assertThat(m.receiveCount()).isEqualTo(1);
        });
        assertThat(bodies(back).stream().filter(b -> b.startsWith("g")).toList()).containsExactly("g-0", "g-1");
        assertQueueEmpty(dlq);
    }

    @Test
    void redrive_ofFifoDeadLetterQueue_isNotSwallowedByDeduplication() {
        deadLetterFifo("g", "recent");
        MessageQueue dlq = queue(FIFO_DLQ);
        awaitCounts(dlq, 1, 0, 0);

        dlq.redrive(RedriveRequest.toSource());

        ReceivedMessage back = receiveOne(queue(FIFO), HOLD);
        assertThat(back.body()).as("the message sent under 5 minutes ago is redriven, not deduplicated away")
                .isEqualTo("recent");
    }

    @Test
    void redrive_ofFifoDeadLetterQueue_toFifoDestination() {
        deadLetterFifo("g", "g-0");
        deadLetterFifo("g", "g-1");
        MessageQueue dlq = queue(FIFO_DLQ);
        awaitCounts(dlq, 2, 0, 0);

        RedriveResult result = dlq.redrive(RedriveRequest.to(PLAIN_FIFO));

        assertThat(result.moved()).isEqualTo(2);
        List<ReceivedMessage> moved = receiveAndDeleteAll(queue(PLAIN_FIFO), 2);
        assertThat(bodies(moved)).containsExactly("g-0", "g-1");
        assertThat(moved).allSatisfy(m -> assertThat(m.groupId()).isEqualTo("g"));
        assertQueueEmpty(queue(FIFO));
    }

    @Test
    void redrive_ofQueueThatIsNoDeadLetterQueue_isValidationError() {
        MessageQueue q = queue(STANDARD);
        q.send("stays");

        assertThatThrownBy(() -> q.redrive(RedriveRequest.toSource()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(STANDARD);

        assertThat(receiveAll(q, 1).get(0).body()).isEqualTo("stays");
    }

    @Test
    void redrive_toQueueOfOtherType_isValidationError() {
        deadLetter(STANDARD, "stays");
        MessageQueue dlq = queue(STANDARD_DLQ);

        assertThatThrownBy(() -> dlq.redrive(RedriveRequest.to(PLAIN_FIFO)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(PLAIN_FIFO)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("destination"));

        assertThat(receiveAll(dlq, 1).get(0).body()).isEqualTo("stays");
        assertQueueEmpty(queue(PLAIN_FIFO));
    }

    @Test
    void redrive_toItself_isValidationError() {
        MessageQueue dlq = queue(STANDARD_DLQ);

        assertThatThrownBy(() -> dlq.redrive(RedriveRequest.to(STANDARD_DLQ)))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("destination"));
    }

    @Test
    void redrive_toUnknownQueue_isUnknownQueueError() {
        deadLetter(STANDARD, "stays");
        MessageQueue dlq = queue(STANDARD_DLQ);

        assertThatThrownBy(() -> dlq.redrive(RedriveRequest.to("no-such-queue")))
                .isInstanceOf(UnknownQueueException.class)
                .hasMessageContaining("no-such-queue");

        assertThat(receiveAll(dlq, 1).get(0).body()).isEqualTo("stays");
    }

    @Test
    void redrive_withRateOutsideLimits_isValidationError() {
        MessageQueue dlq = queue(STANDARD_DLQ);

        for (int rate : new int[] {0, -1, Limits.MAX_REDRIVE_RATE + 1}) {
            assertThatThrownBy(() -> dlq.redrive(RedriveRequest.toSource().withRateLimit(rate)))
                    .as("rate %s", rate)
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining(String.valueOf(rate))
                    .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("maxMessagesPerSecond"));
        }
    }
}
