package io.github.mq4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.recording.BackendCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The limits of receive, delete, visibility changes and dead-letter moves, each fed at, just
 * under and just over its bound; nothing rejected reaches the backend.
 */
class ReceiveValidationTest extends RecordingQueueTest {
    private static final Duration TWELVE_HOURS = Duration.ofHours(12);

    @Override
    protected Topology topology() {
        return Topology.of(
                QueueSpec.standard("work").visibilityTimeout(Duration.ofSeconds(45)).receiveWaitTime(Duration.ofSeconds(7))
                        .deadLetter("dead", 3).build(),
                QueueSpec.standard("dead").build());
    }

    private MessageQueue work() {
        return queue("work");
    }

    private ReceiveRequest lastReceive() {
        assertThat(calls.last().method()).isEqualTo("receive");
        return (ReceiveRequest) calls.last().argument();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 9, 10})
    void receive_oneToTenMessages_isAccepted(int maxMessages) {
        accepted(() -> work().receive(ReceiveRequest.of(maxMessages)));
        assertThat(lastReceive().maxMessages()).isEqualTo(maxMessages);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 11, 100, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void receive_maxMessagesOutsideOneToTen_isRejected(int maxMessages) {
        rejected("maxMessages", () -> work().receive(ReceiveRequest.of(maxMessages)), "is " + maxMessages, "1 to 10");
    }

    @Test
    void receive_withoutWaitOrVisibility_resolvesThemFromTheQueue() {
        accepted(() -> work().receive());
        assertThat(lastReceive()).isEqualTo(new ReceiveRequest(1, Duration.ofSeconds(7), Duration.ofSeconds(45)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 19, 20})
    void receive_waitTimeOfZeroTo20Seconds_isAccepted(long seconds) {
        accepted(() -> work().receive(ReceiveRequest.of(1, Duration.ofSeconds(seconds))));
        assertThat(lastReceive().waitTime()).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 60, -1})
    void receive_waitTimeOutsideZeroTo20Seconds_isRejected(long seconds) {
        rejected("waitTime", () -> work().receive(ReceiveRequest.of(1, Duration.ofSeconds(seconds))),
                seconds + " s", "0 s to 20 s", "'work'");
    }

    @Test
    void receive_fractionalWaitTime_isRejectedNotRounded() {
        rejected("waitTime", () -> work().receive(ReceiveRequest.of(1, Duration.ofMillis(500))), "0.5 s", "whole number of seconds");
        rejected("waitTime", () -> work().receive(ReceiveRequest.of(1, Duration.ofMillis(20_001))), "20.001 s",
                "whole number of seconds");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 43_199, 43_200})
    void receive_visibilityTimeoutOfZeroTo12Hours_isAccepted(long seconds) {
        accepted(() -> work().receive(ReceiveRequest.builder().visibilityTimeout(Duration.ofSeconds(seconds)).build()));
        assertThat(lastReceive().visibilityTimeout()).isEqualTo(Duration.ofSeconds(seconds));
        assertThat(lastReceive().waitTime()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void receive_visibilityTimeoutOver12Hours_isRejected() {
        rejected("visibilityTimeout", () -> work().receive(ReceiveRequest.builder()
                .visibilityTimeout(TWELVE_HOURS.plusSeconds(1)).build()), "43201 s", "0 s to 43200 s");
    }

    @Test
    void receive_negativeOrFractionalVisibilityTimeout_isRejected() {
        rejected("visibilityTimeout", () -> work().receive(ReceiveRequest.builder()
                .visibilityTimeout(Duration.ofSeconds(-1)).build()), "-1 s", "0 s to 43200 s");
        rejected("visibilityTimeout", () -> work().receive(ReceiveRequest.builder()
                .visibilityTimeout(Duration.ofMillis(2500)).build()), "2.5 s", "whole number of seconds");
    }

    @Test
    void receive_nullRequest_isRejected() {
        rejected("request", () -> work().receive(null), "null");
    }

    @Test
    void delete_receipt_isPassedOn() {
        accepted(() -> work().delete("r-1"));
        assertThat(calls.last()).isEqualTo(new BackendCalls.Call("delete", "work", List.of("r-1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void delete_blankReceipt_isRejected(String receipt) {
        rejected("receipt", () -> work().delete(receipt), "empty", "'work'");
    }

    @Test
    void delete_nullReceipt_isRejected() {
        rejected("receipt", () -> work().delete((String) null), "null");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 43_200})
    void changeVisibility_zeroTo12Hours_isAccepted(long seconds) {
        accepted(() -> work().changeVisibility("r-1", Duration.ofSeconds(seconds)));
        assertThat(calls.last().argument()).isEqualTo(List.of(new VisibilityChange("r-1", Duration.ofSeconds(seconds))));
    }

    @Test
    void changeVisibility_over12Hours_isRejected() {
        rejected("timeout", () -> work().changeVisibility("r-1", TWELVE_HOURS.plusSeconds(1)), "43201 s", "0 s to 43200 s", "'work'");
    }

    @Test
    void changeVisibility_negativeOrFractional_isRejected() {
        rejected("timeout", () -> work().changeVisibility("r-1", Duration.ofSeconds(-1)), "-1 s", "0 s to 43200 s");
        rejected("timeout", () -> work().changeVisibility("r-1", Duration.ofMillis(100)), "0.1 s", "whole number of seconds");
    }

    @Test
    void changeVisibility_blankOrNullReceipt_isRejected() {
        rejected("receipt", () -> work().changeVisibility(" ", Duration.ZERO), "empty");
        rejected("receipt", () -> work().changeVisibility((String) null, Duration.ZERO), "null");
    }

    @Test
    void changeVisibility_nullTimeout_isRejected() {
        rejected("timeout", () -> work().changeVisibility("r-1", null), "null");
    }

    private static ReceivedMessage received(String queue) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new ReceivedMessage(queue, "m-1", "r-1", "x", Map.of(), null, null, null, 1, t, t, null);
    }

    @Test
    void moveToDeadLetter_messageOfThisQueue_isPassedOn() {
        accepted(() -> work().moveToDeadLetter(received("work")));
        assertThat(calls.last().method()).isEqualTo("moveToDeadLetter");
    }

    @Test
    void moveToDeadLetter_onQueueWithoutDeadLetterPolicy_isRejected() {
        rejected("deadLetter", () -> queue("dead").moveToDeadLetter(received("dead")), "'dead'");
    }

    @Test
    void moveToDeadLetter_messageOfAnotherQueue_isRejected() {
        rejected("message", () -> work().moveToDeadLetter(received("dead")), "m-1", "'dead'", "'work'");
    }

    @Test
    void moveToDeadLetter_null_isRejected() {
        rejected("message", () -> work().moveToDeadLetter(null), "null");
    }

    @Test
    void closedClient_rejectsEveryCallWithIllegalStateExceptionBeforeTheBackend() {
        MessageQueue work = work();
        MessageQueue dead = queue("dead");
        client.close();
        calls.clear();
        assertThatThrownBy(() -> work.send("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> work.sendBatch(List.of(OutgoingMessage.of("x")))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(work::receive).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> work.delete("r")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> work.deleteBatch(List.of("r"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> work.changeVisibility("r", Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> work.changeVisibilityBatch(List.of(new VisibilityChange("r", Duration.ZERO))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> work.moveToDeadLetter(received("work"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(work::stats).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(work::purge).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> dead.redrive(RedriveRequest.toSource())).isInstanceOf(IllegalStateException.class);
        assertThat(calls.all()).isEmpty();
    }
}
