package io.github.mq4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Batches: an empty batch is rejected as a whole; an entry that breaks a limit fails alone with a
 * {@link ValidationException}, in its place, while the valid entries go to the backend in order.
 */
class BatchValidationTest extends RecordingQueueTest {

    @Override
    protected Topology topology() {
        return Topology.of(
                QueueSpec.standard("work").build(),
                QueueSpec.fifo("work.fifo").contentBasedDeduplication(true).build());
    }

    private static void assertFailedWith(BatchResult.Entry<?> entry, int index, String field) {
        assertThat(entry.index()).isEqualTo(index);
        assertThat(entry.succeeded()).isFalse();
        RuntimeException error = ((BatchResult.Failure<?>) entry).error();
        assertThat(error).isInstanceOf(ValidationException.class);
        assertThat(((ValidationException) error).field()).isEqualTo(field);
        assertThat(((ValidationException) error).queue()).isNotNull();
    }

    @Test
    void emptyBatches_areRejectedAsAWhole() {
        ValidationException e = rejected("messages", () -> queue("work").sendBatch(List.of()), "empty", "at least 1 entry");
        assertThat(e.queue()).isEqualTo("work");
        rejected("receipts", () -> queue("work").deleteBatch(List.of()), "empty", "at least 1 entry");
        rejected("changes", () -> queue("work").changeVisibilityBatch(List.of()), "empty", "at least 1 entry");
    }

    @Test
    void nullBatches_areRejectedAsAWhole() {
        rejected("messages", () -> queue("work").sendBatch(null), "null");
        rejected("receipts", () -> queue("work").deleteBatch(null), "null");
        rejected("changes", () -> queue("work").changeVisibilityBatch(null), "null");
    }

    @Test
    void sendBatch_oneBadEntry_failsAloneWhileTheOthersAreSent() {
        BatchResult<SendResult> result = queue("work").sendBatch(List.of(
                OutgoingMessage.of("first"), OutgoingMessage.of(""), OutgoingMessage.of("third")));

        assertThat(result.size()).isEqualTo(3);
        assertThat(result.get(0).succeeded()).isTrue();
        assertFailedWith(result.get(1), 1, "body");
        assertThat(result.get(2).succeeded()).isTrue();
        assertThat(result.valueOrThrow(0).messageId()).isEqualTo("m-1");
        assertThat(result.valueOrThrow(2).messageId()).isEqualTo("m-2");
        assertThat(calls.count()).isEqualTo(1);
        assertThat(calls.lastSent()).extracting(OutgoingMessage::body).containsExactly("first", "third");
    }

    @Test
    void sendBatch_everyEntryBad_reachesNoBackendAndFailsEachEntry() {
        List<OutgoingMessage> messages = new ArrayList<>();
        messages.add(OutgoingMessage.of(""));
        messages.add(OutgoingMessage.builder("x").groupId("g").build());
        messages.add(null);
        BatchResult<SendResult> result = queue("work").sendBatch(messages);

        assertFailedWith(result.get(0), 0, "body");
        assertFailedWith(result.get(1), 1, "groupId");
        assertFailedWith(result.get(2), 2, "message");
        assertThat(result.successful()).isEmpty();
        assertThat(calls.count()).isZero();
    }

    @Test
    void sendBatch_fifo_checksEachEntryAndFillsInContentDeduplicationIds() {
        BatchResult<SendResult> result = queue("work.fifo").sendBatch(List.of(
                OutgoingMessage.builder("abc").groupId("g").build(),
                OutgoingMessage.of("no group"),
                OutgoingMessage.builder("x").groupId("g").delay(Duration.ZERO).build(),
                OutgoingMessage.builder("y").groupId("g").deduplicationId("d-y").build()));

        assertThat(result.get(0).succeeded()).isTrue();
        assertFailedWith(result.get(1), 1, "groupId");
        assertFailedWith(result.get(2), 2, "delay");
        assertThat(result.get(3).succeeded()).isTrue();
        assertThat(calls.lastSent()).extracting(OutgoingMessage::deduplicationId)
                .containsExactly("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "d-y");
    }

    @Test
    void sendBatch_ofMoreThanTenEntries_isOneCallWithEveryEntry() {
        List<OutgoingMessage> messages = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            messages.add(OutgoingMessage.of("m" + i));
        }
        BatchResult<SendResult> result = queue("work").sendBatch(messages);

        assertThat(result.allSucceeded()).isTrue();
        assertThat(result.size()).isEqualTo(25);
        assertThat(calls.lastSent()).hasSize(25);
    }

    @Test
    void deleteBatch_blankReceipt_failsAloneWhileTheOthersAreDeleted() {
        List<String> receipts = new ArrayList<>(List.of("r-1", " ", "r-3", ""));
        receipts.add(null);
        BatchResult<String> result = queue("work").deleteBatch(receipts);

        assertThat(result.valueOrThrow(0)).isEqualTo("r-1");
        assertFailedWith(result.get(1), 1, "receipt");
        assertThat(result.valueOrThrow(2)).isEqualTo("r-3");
        assertFailedWith(result.get(3), 3, "receipt");
        assertFailedWith(result.get(4), 4, "receipt");
        assertThat(calls.all()).singleElement().satisfies(c -> {
            assertThat(c.method()).isEqualTo("delete");
            assertThat(c.argument()).isEqualTo(List.of("r-1", "r-3"));
        });
    }

    @Test
    void changeVisibilityBatch_entryOverTheLimit_failsAloneWhileTheOthersChange() {
        List<VisibilityChange> changes = List.of(
                new VisibilityChange("r-1", Duration.ZERO),
                new VisibilityChange("r-2", Duration.ofHours(12).plusSeconds(1)),
                new VisibilityChange(" ", Duration.ofSeconds(5)),
                new VisibilityChange("r-4", Duration.ofMillis(1500)),
                new VisibilityChange("r-5", Duration.ofHours(12)));
        BatchResult<String> result = queue("work").changeVisibilityBatch(changes);

        assertThat(result.valueOrThrow(0)).isEqualTo("r-1");
        assertFailedWith(result.get(1), 1, "timeout");
        assertFailedWith(result.get(2), 2, "receipt");
        assertFailedWith(result.get(3), 3, "timeout");
        assertThat(result.valueOrThrow(4)).isEqualTo("r-5");
        assertThat(result.failed()).extracting(BatchResult.Failure::index).containsExactly(1, 2, 3);
        assertThat(calls.all()).singleElement().satisfies(c ->
                assertThat(c.argument()).isEqualTo(List.of(changes.get(0), changes.get(4))));
    }

    @Test
    void batchFailure_carriesTheSameMessageAsASingleCall() {
        BatchResult<SendResult> result = queue("work").sendBatch(List.of(OutgoingMessage.of("x".repeat(256 * 1024 + 1))));
        RuntimeException error = result.failed().get(0).error();
        assertThat(error).hasMessageContaining("262145 bytes").hasMessageContaining("262144 bytes");
        assertThat(calls.count()).isZero();
    }
}
