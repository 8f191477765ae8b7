package io.github.mq4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Redrive requests: only a dead-letter queue redrives, to a known queue of its own type, at 1 to 500 messages a second. */
class RedriveValidationTest extends RecordingQueueTest {

    @Override
    protected Topology topology() {
        return Topology.of(
                QueueSpec.standard("work").deadLetter("dead", 3).build(),
                QueueSpec.standard("dead").build(),
                QueueSpec.standard("other").build(),
                QueueSpec.fifo("work.fifo").deadLetter("dead.fifo", 3).build(),
                QueueSpec.fifo("dead.fifo").build());
    }

    @Test
    void redrive_toSource_isPassedOn() {
        accepted(() -> queue("dead").redrive(RedriveRequest.toSource()));
        assertThat(calls.last().method()).isEqualTo("redrive");
        assertThat(calls.last().queue()).isEqualTo("dead");
        assertThat(calls.last().argument()).isEqualTo(RedriveRequest.toSource());
    }

    @Test
    void redrive_toAnotherQueueOfTheSameType_isPassedOn() {
        accepted(() -> queue("dead").redrive(RedriveRequest.to("other")));
        accepted(() -> queue("dead.fifo").redrive(RedriveRequest.to("work.fifo")));
        assertThat(calls.last().argument()).isEqualTo(RedriveRequest.to("work.fifo"));
    }

    @Test
    void redrive_ofAQueueThatIsNoDeadLetterQueue_isRejected() {
        rejected("queue", () -> queue("work").redrive(RedriveRequest.toSource()), "'work'", "dead-letter queue");
        rejected("queue", () -> queue("other").redrive(RedriveRequest.to("work")), "'other'", "dead-letter queue");
    }

    @Test
    void redrive_toAnUnknownQueue_isAnUnknownQueueExceptionListingTheKnownOnes() {
        ValidationException e = rejected("queue", () -> queue("dead").redrive(RedriveRequest.to("nope")),
                "'nope'", "work, dead, other, work.fifo, dead.fifo");
        assertThat(e).isInstanceOf(UnknownQueueException.class);
        assertThat(((UnknownQueueException) e).knownQueues()).containsExactly("work", "dead", "other", "work.fifo", "dead.fifo");
        assertThat(e.queue()).as("the unknown name").isEqualTo("nope");
    }

    @Test
    void redrive_toAQueueOfTheOtherType_isRejected() {
        rejected("destination", () -> queue("dead").redrive(RedriveRequest.to("work.fifo")), "'work.fifo'", "FIFO", "standard");
        rejected("destination", () -> queue("dead.fifo").redrive(RedriveRequest.to("work")), "'work'", "FIFO", "standard");
    }

    @Test
    void redrive_toItself_isRejected() {
        rejected("destination", () -> queue("dead").redrive(RedriveRequest.to("dead")), "'dead'", "itself");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 499, 500})
    void redrive_rateOfOneTo500_isAccepted(int rate) {
        accepted(() -> queue("dead").redrive(RedriveRequest.toSource().withRateLimit(rate)));
        assertThat(((RedriveRequest) calls.last().argument()).maxMessagesPerSecond()).isEqualTo(rate);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 501, 10_000})
    void redrive_rateOutsideOneTo500_isRejected(int rate) {
        rejected("maxMessagesPerSecond", () -> queue("dead").redrive(RedriveRequest.to("other").withRateLimit(rate)),
                "is " + rate, "1 to 500");
    }

    @Test
    void redrive_nullRequest_isRejected() {
        rejected("request", () -> queue("dead").redrive(null), "null");
    }
}
