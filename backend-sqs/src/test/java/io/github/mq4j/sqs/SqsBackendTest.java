package io.github.mq4j.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.BatchResult;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.SendResult;
import io.github.mq4j.StaleReceiptException;
import io.github.mq4j.Topology;
import io.github.mq4j.ValidationException;
import io.github.mq4j.VisibilityChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SQS backend against an in-JVM ElasticMQ, on the default topology. */
class SqsBackendTest {
    private static final Duration WAIT = Duration.ofSeconds(2);

    private QueueClient client;

    @BeforeEach
    void open() {
        client = SqsTestSupport.open(Topology.defaults());
    }

    @AfterEach
    void close() {
        client.close();
    }

    private List<ReceivedMessage> receive(MessageQueue q, int max) {
        return q.receive(ReceiveRequest.of(max, WAIT));
    }

    /** Receives until {@code count} messages arrived or 10 s passed. */
    private List<ReceivedMessage> receiveAll(MessageQueue q, int count) {
        List<ReceivedMessage> all = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (all.size() < count && System.nanoTime() < deadline) {
            all.addAll(q.receive(ReceiveRequest.of(10, Duration.ofSeconds(1))));
        }
        return all;
    }

    @Test
    void send_thenReceive_returnsBodyAttributesAndSystemFields() {
        MessageQueue q = client.queue("async-jobs");
        Instant before = Instant.now().minusSeconds(1);
        SendResult sent = q.send(OutgoingMessage.builder("{\"job\":1}").attribute("tenant", "acme").attribute("kind", "ü€𝄞").build());

        List<ReceivedMessage> got = receive(q, 10);

        assertThat(got).hasSize(1);
        ReceivedMessage m = got.get(0);
        assertThat(m.queue()).isEqualTo("async-jobs");
        assertThat(m.messageId()).isEqualTo(sent.messageId());
        assertThat(m.body()).isEqualTo("{\"job\":1}");
        assertThat(m.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("tenant", "acme", "kind", "ü€𝄞"));
        assertThat(m.receiveCount()).isEqualTo(1);
        assertThat(m.sentAt()).isAfter(before);
        assertThat(m.firstReceivedAt()).isAfterOrEqualTo(m.sentAt().minusSeconds(1));
        assertThat(m.groupId()).isNull();
        assertThat(m.deadLetterSource()).isNull();
    }

    @Test
    void sendBatch_of25_isSplitIntoRequestsAndAllArrive() {
        MessageQueue q = client.queue("events-inbox");
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(OutgoingMessage.of("m" + i));
        }

        BatchResult<SendResult> result = q.sendBatch(batch);

        assertThat(result.allSucceeded()).isTrue();
        assertThat(result.size()).isEqualTo(25);
        Set<String> ids = new HashSet<>();
        result.successful().forEach(s -> ids.add(s.value().messageId()));
        assertThat(ids).hasSize(25);
        List<ReceivedMessage> got = receiveAll(q, 25);
        assertThat(got).extracting(ReceivedMessage::messageId).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void sendBatch_overTheBatchByteLimit_isSplitBySize() {
        QueueSpec big = QueueSpec.standard("big").maxMessageSize(1024 * 1024).build();
        try (QueueClient c = SqsTestSupport.open(Topology.of(big))) {
            MessageQueue q = c.queue("big");
            String body = "x".repeat(100 * 1024);
            BatchResult<SendResult> result = q.sendBatch(List.of(OutgoingMessage.of(body), OutgoingMessage.of(body),
                    OutgoingMessage.of(body), OutgoingMessage.of(body)));
            assertThat(result.allSucceeded()).isTrue();
            assertThat(receiveAll(q, 4)).hasSize(4).allSatisfy(m -> assertThat(m.body()).hasSize(100 * 1024));
        }
    }

    @Test
    void sendBatch_invalidEntryFailsAlone() {
        MessageQueue q = client.queue("async-jobs");
        BatchResult<SendResult> result = q.sendBatch(List.of(OutgoingMessage.of("ok"), OutgoingMessage.of(""),
                OutgoingMessage.of("also ok")));
        assertThat(result.get(0).succeeded()).isTrue();
        assertThat(((BatchResult.Failure<SendResult>) result.get(1)).error()).isInstanceOf(ValidationException.class);
        assertThat(result.get(2).succeeded()).isTrue();
        assertThat(receiveAll(q, 2)).extracting(ReceivedMessage::body).containsExactlyInAnyOrder("ok", "also ok");
    }

    @Test
    void receive_hidesMessageUntilVisibilityTimeout_thenRedeliversWithHigherCount() {
        MessageQueue q = client.queue("async-jobs");
        q.send("again");
        ReceivedMessage first = q.receive(ReceiveRequest.builder().maxMessages(1).waitTime(WAIT)
                .visibilityTimeout(Duration.ofSeconds(1)).build()).get(0);
        assertThat(q.receive(ReceiveRequest.of(1, Duration.ZERO))).isEmpty();

        List<ReceivedMessage> second = q.receive(ReceiveRequest.of(1, Duration.ofSeconds(5)));

        assertThat(second).hasSize(1);
        assertThat(second.get(0).messageId()).isEqualTo(first.messageId());
        assertThat(second.get(0).receiveCount()).isEqualTo(2);
        assertThat(second.get(0).receipt()).isNotEqualTo(first.receipt());
        assertThat(second.get(0).firstReceivedAt()).isEqualTo(first.firstReceivedAt());
    }

    @Test
    void delete_removesTheMessage() {
        MessageQueue q = client.queue("async-jobs");
        q.send("gone");
        ReceivedMessage m = receive(q, 1).get(0);
        q.delete(m);
        assertThat(q.stats().total()).isZero();
        assertThat(q.receive(ReceiveRequest.of(1, Duration.ZERO))).isEmpty();
    }

    @Test
    void changeVisibility_toZero_makesMessageVisibleAtOnce() {
        MessageQueue q = client.queue("async-jobs");
        q.send("back");
        ReceivedMessage m = receive(q, 1).get(0);
        q.changeVisibility(m, Duration.ZERO);
        List<ReceivedMessage> again = q.receive(ReceiveRequest.of(1, Duration.ofSeconds(1)));
        assertThat(again).extracting(ReceivedMessage::messageId).containsExactly(m.messageId());
    }

    @Test
    void changeVisibility_withReceiptOfEarlierReceive_isStale() {
        MessageQueue q = client.queue("async-jobs");
        q.send("twice");
        ReceivedMessage first = receive(q, 1).get(0);
        q.changeVisibility(first, Duration.ZERO);
        ReceivedMessage second = receive(q, 1).get(0);

        assertThatThrownBy(() -> q.changeVisibility(first, Duration.ofSeconds(30))).isInstanceOf(StaleReceiptException.class);
        q.changeVisibility(second, Duration.ofSeconds(30));
    }

    @Test
    void changeVisibility_afterDelete_isStale() {
        MessageQueue q = client.queue("async-jobs");
        q.send("deleted");
        ReceivedMessage m = receive(q, 1).get(0);
        q.delete(m);
        assertThatThrownBy(() -> q.changeVisibility(m, Duration.ofSeconds(30))).isInstanceOf(StaleReceiptException.class);
    }

    @Test
    void delete_withReceiptOfEarlierReceive_succeedsAndKeepsTheMessage() {
        MessageQueue q = client.queue("async-jobs");
        q.send("kept");
        ReceivedMessage first = receive(q, 1).get(0);
        q.changeVisibility(first, Duration.ZERO);
        ReceivedMessage second = receive(q, 1).get(0);

        q.delete(first);

        q.changeVisibility(second, Duration.ZERO);
        assertThat(receive(q, 1)).extracting(ReceivedMessage::messageId).containsExactly(second.messageId());
    }

    @Test
    void receipts_malformedOrOfAnotherQueue_areValidationErrors() {
        MessageQueue jobs = client.queue("async-jobs");
        MessageQueue hooks = client.queue("webhooks");
        hooks.send("hook");
        ReceivedMessage m = receive(hooks, 1).get(0);

        assertThatThrownBy(() -> jobs.delete("not-a-receipt")).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("receipt"));
        assertThatThrownBy(() -> jobs.delete(m.receipt())).isInstanceOf(ValidationException.class)
                .hasMessageContaining("webhooks");
        assertThatThrownBy(() -> jobs.changeVisibility(m.receipt(), Duration.ZERO)).isInstanceOf(ValidationException.class);
        String forged = m.receipt().replaceFirst("^webhooks~", "async-jobs~");
        assertThatThrownBy(() -> jobs.changeVisibility(forged, Duration.ZERO))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> jobs.changeVisibility("async-jobs~id~0~garbage", Duration.ZERO))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void batches_ofDeleteAndVisibility_reportPerEntry() {
        MessageQueue q = client.queue("webhooks");
        for (int i = 0; i < 12; i++) {
            q.send("v" + i);
        }
        List<ReceivedMessage> got = receiveAll(q, 12);
        assertThat(got).hasSize(12);
        List<VisibilityChange> changes = new ArrayList<>();
        for (ReceivedMessage m : got) {
            changes.add(new VisibilityChange(m.receipt(), Duration.ofSeconds(60)));
        }
        changes.add(new VisibilityChange("bogus", Duration.ZERO));
        BatchResult<String> changed = q.changeVisibilityBatch(changes);
        assertThat(changed.successful()).hasSize(12);
        assertThat(changed.failed()).singleElement().satisfies(f -> assertThat(f.index()).isEqualTo(12));

        List<String> receipts = new ArrayList<>(got.stream().map(ReceivedMessage::receipt).toList());
        receipts.add(1, "bogus");
        BatchResult<String> deleted = q.deleteBatch(receipts);
        assertThat(deleted.successful()).hasSize(12);
        assertThat(deleted.failed()).singleElement().satisfies(f -> assertThat(f.index()).isEqualTo(1));
        assertThat(q.stats().total()).isZero();
    }

    @Test
    void receive_longPolling_returnsAsSoonAsAMessageArrives() throws Exception {
        MessageQueue q = client.queue("iot");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<ReceivedMessage>> pending = pool.submit(() -> q.receive(ReceiveRequest.of(1, Duration.ofSeconds(20))));
            q.send("ping");
            List<ReceivedMessage> got = pending.get(15, TimeUnit.SECONDS);
            assertThat(got).extracting(ReceivedMessage::body).containsExactly("ping");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fifo_deliversInOrderPerGroup_andHoldsAGroupWhileOneIsInFlight() {
        MessageQueue q = client.queue("async-jobs.fifo");
        for (int i = 0; i < 3; i++) {
            q.send(OutgoingMessage.builder("a" + i).groupId("A").build());
        }
        q.send(OutgoingMessage.builder("b0").groupId("B").build());

        List<ReceivedMessage> first = q.receive(ReceiveRequest.of(1, WAIT));
        assertThat(first).extracting(ReceivedMessage::body).containsExactly("a0");
        assertThat(first.get(0).groupId()).isEqualTo("A");
        assertThat(first.get(0).deduplicationId()).isNotNull();
        assertThat(first.get(0).sequenceNumber()).isNotNull();
        List<ReceivedMessage> next = q.receive(ReceiveRequest.of(10, WAIT));
        assertThat(next).extracting(ReceivedMessage::body).containsExactly("b0");

        q.delete(first.get(0));
        List<ReceivedMessage> rest = q.receive(ReceiveRequest.of(10, WAIT));
        assertThat(rest).extracting(ReceivedMessage::body).containsExactly("a1", "a2");
    }

    @Test
    void fifo_duplicateWithinWindow_returnsFirstMessageId_andEnqueuesNothing() {
        MessageQueue q = client.queue("async-jobs.fifo");
        SendResult first = q.send(OutgoingMessage.builder("same body").groupId("g").build());
        SendResult second = q.send(OutgoingMessage.builder("same body").groupId("g").build());
        SendResult explicit1 = q.send(OutgoingMessage.builder("x").groupId("g").deduplicationId("d-1").build());
        SendResult explicit2 = q.send(OutgoingMessage.builder("y").groupId("g").deduplicationId("d-1").build());

        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(explicit2.messageId()).isEqualTo(explicit1.messageId());
        assertThat(receiveAll(q, 2)).extracting(ReceivedMessage::body).containsExactly("same body", "x");
    }

    @Test
    void deadLetter_afterThreeReceivesWithoutDelete_landsInDlqWithBodyIntact() {
        MessageQueue jobs = client.queue("async-jobs");
        MessageQueue dlq = client.queue("dlq");
        String body = "poison ☠ " + "p".repeat(1000);
        SendResult sent = jobs.send(OutgoingMessage.builder(body).attribute("trace", "t-1").build());
        ReceiveRequest quick = ReceiveRequest.builder().maxMessages(1).waitTime(Duration.ofSeconds(5))
                .visibilityTimeout(Duration.ZERO).build();
        for (int i = 1; i <= 3; i++) {
            List<ReceivedMessage> got = jobs.receive(quick);
            assertThat(got).as("receive %d", i).hasSize(1);
            assertThat(got.get(0).receiveCount()).isEqualTo(i);
        }

        assertThat(jobs.receive(ReceiveRequest.of(1, Duration.ofSeconds(1)))).isEmpty();
        List<ReceivedMessage> dead = receiveAll(dlq, 1);

        assertThat(dead).hasSize(1);
        ReceivedMessage m = dead.get(0);
        assertThat(m.body()).isEqualTo(body);
        assertThat(m.attributes()).containsEntry("trace", "t-1");
        assertThat(m.messageId()).isEqualTo(sent.messageId());
        assertThat(m.deadLetterSource()).isEqualTo("async-jobs");
    }

    @Test
    void moveToDeadLetter_keepsBodyAllTenAttributesIdAndRecordsSource() {
        MessageQueue hooks = client.queue("webhooks");
        MessageQueue dlq = client.queue("dlq");
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            attributes.put("a" + i, "value " + i + " & = %");
        }
        SendResult sent = hooks.send(OutgoingMessage.builder("poison").attributes(attributes).build());
        ReceivedMessage m = receive(hooks, 1).get(0);

        hooks.moveToDeadLetter(m);

        ReceivedMessage dead = receiveAll(dlq, 1).get(0);
        assertThat(dead.body()).isEqualTo("poison");
        assertThat(dead.attributes()).isEqualTo(attributes);
        assertThat(dead.messageId()).isEqualTo(sent.messageId());
        assertThat(dead.sentAt()).isEqualTo(m.sentAt());
        assertThat(dead.deadLetterSource()).isEqualTo("webhooks");
        assertThat(hooks.stats().total()).isZero();
    }

    @Test
    void moveToDeadLetter_withStaleReceipt_throwsAndMovesNothing() {
        MessageQueue hooks = client.queue("webhooks");
        hooks.send("x");
        ReceivedMessage first = receive(hooks, 1).get(0);
        hooks.changeVisibility(first, Duration.ZERO);
        receive(hooks, 1);

        assertThatThrownBy(() -> hooks.moveToDeadLetter(first)).isInstanceOf(StaleReceiptException.class);
        assertThat(client.queue("dlq").stats().total()).isZero();
    }

    @Test
    void moveToDeadLetter_fifo_keepsGroup() {
        MessageQueue fifo = client.queue("async-jobs.fifo");
        fifo.send(OutgoingMessage.builder("ordered poison").groupId("g-7").build());
        ReceivedMessage m = receive(fifo, 1).get(0);
        fifo.moveToDeadLetter(m);
        ReceivedMessage dead = receiveAll(client.queue("dlq.fifo"), 1).get(0);
        assertThat(dead.groupId()).isEqualTo("g-7");
        assertThat(dead.body()).isEqualTo("ordered poison");
        assertThat(dead.deadLetterSource()).isEqualTo("async-jobs.fifo");
    }

    @Test
    void redrive_toSources_movesEachMessageBackToItsOwnQueue() {
        MessageQueue hooks = client.queue("webhooks");
        MessageQueue iot = client.queue("iot");
        MessageQueue dlq = client.queue("dlq");
        hooks.send(OutgoingMessage.builder("from hooks").attribute("k", "v").build());
        iot.send("from iot");
        hooks.moveToDeadLetter(receive(hooks, 1).get(0));
        iot.moveToDeadLetter(receive(iot, 1).get(0));

        assertThat(dlq.redrive(RedriveRequest.toSource()).moved()).isEqualTo(2);

        ReceivedMessage back = receiveAll(hooks, 1).get(0);
        assertThat(back.body()).isEqualTo("from hooks");
        assertThat(back.attributes()).isEqualTo(Map.of("k", "v"));
        assertThat(back.deadLetterSource()).isNull();
        assertThat(receiveAll(iot, 1)).extracting(ReceivedMessage::body).containsExactly("from iot");
        assertThat(dlq.stats().total()).isZero();
    }

    @Test
    void redrive_fifo_movesBackInOrderWithGroup() {
        MessageQueue fifo = client.queue("async-jobs.fifo");
        MessageQueue dlq = client.queue("dlq.fifo");
        fifo.send(OutgoingMessage.builder("one").groupId("g").build());
        fifo.send(OutgoingMessage.builder("two").groupId("g").build());
        fifo.moveToDeadLetter(receive(fifo, 1).get(0));
        fifo.moveToDeadLetter(receive(fifo, 1).get(0));

        assertThat(dlq.redrive(RedriveRequest.toSource().withRateLimit(10)).moved()).isEqualTo(2);

        List<ReceivedMessage> back = receiveAll(fifo, 2);
        assertThat(back).extracting(ReceivedMessage::body).containsExactly("one", "two");
        assertThat(back).allSatisfy(m -> {
            assertThat(m.groupId()).isEqualTo("g");
            assertThat(m.deadLetterSource()).isNull();
        });
    }

    @Test
    void redrive_toDestination_movesEverything() {
        MessageQueue hooks = client.queue("webhooks");
        MessageQueue dlq = client.queue("dlq");
        hooks.send("a");
        hooks.moveToDeadLetter(receive(hooks, 1).get(0));

        assertThat(dlq.redrive(RedriveRequest.to("events-inbox")).moved()).isEqualTo(1);
        assertThat(receiveAll(client.queue("events-inbox"), 1)).extracting(ReceivedMessage::body).containsExactly("a");
    }

    @Test
    void stats_countVisibleInFlightAndDelayed_andPurgeEmptiesTheQueue() {
        MessageQueue q = client.queue("events-inbox");
        q.send("v1");
        q.send("v2");
        q.send(OutgoingMessage.builder("later").delay(Duration.ofSeconds(600)).build());
        receive(q, 1);

        QueueStats stats = q.stats();
        assertThat(stats.visible()).isEqualTo(1);
        assertThat(stats.inFlight()).isEqualTo(1);
        assertThat(stats.delayed()).isEqualTo(1);
        assertThat(stats.oldestMessageAge()).isNull();

        q.purge();
        assertThat(q.stats().total()).isZero();
    }

    @Test
    void send_fromManyThreads_isBatchedAndLosesNothing() throws Exception {
        MessageQueue q = client.queue("events-inbox");
        int threads = 16;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        ids.add(q.send("t" + thread + "-" + i).messageId());
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ids).hasSize(threads * perThread);
        Set<String> bodies = new HashSet<>();
        for (ReceivedMessage m : receiveAll(q, threads * perThread)) {
            assertThat(bodies.add(m.body())).as("duplicate %s", m.body()).isTrue();
            q.delete(m);
        }
        assertThat(bodies).hasSize(threads * perThread);
    }
}
