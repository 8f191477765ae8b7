package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.BatchResult;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrency: several producer and consumer threads over a couple of thousand messages, counting
 * every one. Nothing is lost; nothing is delivered twice unless a visibility timeout expired (a
 * second delivery then has a receive count above 1); on FIFO queues, the order within a group is
 * never broken and no two consumers ever hold messages of one group at once.
 *
 * <p>Consumers hold messages for {@link #HOLD}, far longer than the test takes, so on a healthy
 * backend no visibility timeout expires and every message is delivered exactly once.
 */
public abstract class ConcurrencyContract extends ConformanceTest {

    private static final int CONSUMERS = 4;
    private static final int PRODUCERS = 4;
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(60);

    private final AtomicInteger threadCount = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "conformance-concurrency-" + threadCount.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    final void stopThreads() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }

    /** One delivery as a consumer saw it. */
    private record Delivery(String body, String messageId, int receiveCount, String consumer) {}

    @Test
    void competingConsumers_receiveEveryMessageOnce() throws Exception {
        MessageQueue q = queue(STANDARD);
        int total = 2000;
        List<Future<?>> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(executor.submit(() -> {
                for (int from = producer * (total / PRODUCERS); from < (producer + 1) * (total / PRODUCERS); from += 10) {
                    List<OutgoingMessage> batch = new ArrayList<>(10);
                    for (int i = from; i < from + 10; i++) {
                        batch.add(OutgoingMessage.builder("m-" + i).attribute("producer", String.valueOf(producer)).build());
                    }
                    BatchResult<?> result = q.sendBatch(batch);
                    assertThat(result.allSucceeded()).as("batch from %s", from).isTrue();
                }
                return null;
            }));
        }

        Map<String, List<Delivery>> deliveries = consume(q, total);
        for (Future<?> producer : producers) {
            producer.get(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }

        assertThat(deliveries).as("distinct messages delivered").hasSize(total);
        for (int i = 0; i < total; i++) {
            assertThat(deliveries).as("message m-%s delivered", i).containsKey("m-" + i);
        }
        assertEachDeliveredOnceUnlessRedelivered(deliveries);
        assertQueueEmpty(q);
    }

    @Test
    void competingConsumers_ofFifoQueue_keepGroupOrderAndExclusivity() throws Exception {
        MessageQueue q = queue(FIFO);
        int groups = 20;
        int perGroup = 50;
        List<Future<?>> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(executor.submit(() -> {
                for (int g = producer; g < groups; g += PRODUCERS) {
                    String group = "group-" + g;
                    for (int from = 0; from < perGroup; from += 10) {
                        List<OutgoingMessage> batch = new ArrayList<>(10);
                        for (int i = from; i < from + 10; i++) {
                            batch.add(fifoMessage(group, group + ":" + i));
                        }
                        assertThat(q.sendBatch(batch).allSucceeded()).isTrue();
                    }
                }
                return null;
            }));
        }

        Map<String, Integer> nextInGroup = new ConcurrentHashMap<>();
        Map<String, String> holderOfGroup = new ConcurrentHashMap<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        Map<String, List<Delivery>> deliveries = consume(q, groups * perGroup, (consumer, batch) -> {
            for (ReceivedMessage m : batch) {
                String group = m.groupId();
                String holder = holderOfGroup.putIfAbsent(group, consumer);
                if (holder != null && !holder.equals(consumer)) {
                    violations.add(consumer + " received " + m.body() + " while " + holder + " held group " + group);
                }
                int seq = Integer.parseInt(m.body().substring(m.body().indexOf(':') + 1));
                int expected = nextInGroup.getOrDefault(group, 0);
                if (seq != expected) {
                    violations.add(consumer + " received " + m.body() + " but expected " + group + ":" + expected);
                }
                nextInGroup.put(group, Math.max(expected, seq + 1));
            }
            // Released before the delete: nobody may receive the group's next message until the delete is done.
            for (ReceivedMessage m : batch) {
                holderOfGroup.remove(m.groupId(), consumer);
            }
        });
        for (Future<?> producer : producers) {
            producer.get(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }

        assertThat(violations).as("order or exclusivity violations").isEmpty();
        assertThat(deliveries).hasSize(groups * perGroup);
        for (int g = 0; g < groups; g++) {
            assertThat(nextInGroup.get("group-" + g)).as("messages of group-%s delivered", g).isEqualTo(perGroup);
        }
        assertEachDeliveredOnceUnlessRedelivered(deliveries);
        assertQueueEmpty(q);
    }

    @Test
    void competingReceives_ofFewMessages_neverShareAMessage() throws Exception {
        MessageQueue q = queue(STANDARD);
        int total = 50;
        sendNumbered(q, "few", total);

        Map<String, List<Delivery>> deliveries = consume(q, total, 1);

        assertThat(deliveries).hasSize(total);
        assertEachDeliveredOnceUnlessRedelivered(deliveries);
    }

    @Test
    void concurrentSendsToOneFifoGroup_fromOneThreadEach_keepEachSendersOrder() throws Exception {
        MessageQueue q = queue(FIFO);
        int senders = 4;
        int perSender = 25;
        List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            futures.add(executor.submit(() -> {
                for (int i = 0; i < perSender; i++) {
                    q.send(fifoMessage("shared", "s" + sender + ":" + i));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }

        List<ReceivedMessage> received = receiveAndDeleteAll(q, senders * perSender);

        for (int s = 0; s < senders; s++) {
            String prefix = "s" + s + ":";
            List<String> ofSender = bodies(received).stream().filter(b -> b.startsWith(prefix)).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perSender; i++) {
                expected.add(prefix + i);
            }
            assertThat(ofSender).as("order of sender %s within the shared group", s).containsExactlyElementsOf(expected);
        }
    }

    private Map<String, List<Delivery>> consume(MessageQueue q, int total) throws Exception {
        return consume(q, total, 10);
    }

    private Map<String, List<Delivery>> consume(MessageQueue q, int total, int maxMessages) throws Exception {
        return consume(q, total, maxMessages, (c, b) -> {});
    }

    private Map<String, List<Delivery>> consume(MessageQueue q, int total, BatchHook onReceive) throws Exception {
        return consume(q, total, 10, onReceive);
    }

    /** What a consumer does with a batch, on the consumer's thread. */
    @FunctionalInterface
    private interface BatchHook {
        void accept(String consumer, List<ReceivedMessage> batch);
    }

    /**
     * Runs {@link #CONSUMERS} consumer threads that receive, call {@code onReceive}, then delete
     * the batch, until {@code total} distinct messages have been delivered
     * or {@link #RUN_DEADLINE} has passed. Returns every delivery by body.
     */
    private Map<String, List<Delivery>> consume(
            MessageQueue q, int total, int maxMessages, BatchHook onReceive) throws Exception {
        Map<String, List<Delivery>> deliveries = new ConcurrentHashMap<>();
        Instant deadline = Instant.now().plus(RUN_DEADLINE);
        List<Future<?>> consumers = new ArrayList<>();
        for (int c = 0; c < CONSUMERS; c++) {
            String consumer = "consumer-" + c;
            consumers.add(executor.submit(() -> {
                while (deliveries.size() < total && Instant.now().isBefore(deadline)) {
                    List<ReceivedMessage> batch = q.receive(ReceiveRequest.builder()
                            .maxMessages(maxMessages).waitTime(POLL_WAIT).visibilityTimeout(HOLD).build());
                    if (batch.isEmpty()) {
                        continue;
                    }
                    for (ReceivedMessage m : batch) {
                        deliveries.computeIfAbsent(m.body(), b -> Collections.synchronizedList(new ArrayList<>()))
                                .add(new Delivery(m.body(), m.messageId(), m.receiveCount(), consumer));
                    }
                    onReceive.accept(consumer, batch);
                    BatchResult<String> deleted = q.deleteBatch(batch.stream().map(ReceivedMessage::receipt).toList());
                    assertThat(deleted.failed()).as("failed deletes").isEmpty();
                }
                return null;
            }));
        }
        for (Future<?> consumer : consumers) {
            consumer.get(RUN_DEADLINE.toSeconds() + 30, TimeUnit.SECONDS);
        }
        return deliveries;
    }

    private static void assertEachDeliveredOnceUnlessRedelivered(Map<String, List<Delivery>> deliveries) {
        List<String> duplicates = new ArrayList<>();
        for (Map.Entry<String, List<Delivery>> e : deliveries.entrySet()) {
            List<Delivery> ds = e.getValue();
            if (ds.size() > 1) {
                for (int i = 1; i < ds.size(); i++) {
                    if (ds.get(i).receiveCount() <= 1) {
                        duplicates.add(e.getKey() + " delivered " + ds.size() + " times: " + ds);
                        break;
                    }
                }
            }
            assertThat(ds.stream().map(Delivery::messageId).distinct().count())
                    .as("message ids of %s", e.getKey()).isEqualTo(1);
        }
        assertThat(duplicates).as("messages delivered twice without a visibility timeout expiring").isEmpty();
    }
}
