package io.github.mq4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several backends on one schema, as separate application instances would be: thousands of
 * messages, every one counted once; FIFO groups in order across instances.
 */
class ConcurrencyTest {
    private static final String SCHEMA = TestDatabase.newSchema("concurrency");
    private static final Topology TOPOLOGY = Topology.of(
            QueueSpec.standard("work").visibilityTimeout(Duration.ofMinutes(5)).build(),
            QueueSpec.fifo("work.fifo").visibilityTimeout(Duration.ofMinutes(5)).build());
    private static final int INSTANCES = 3;
    private static final List<QueueClient> clients = new ArrayList<>();

    @BeforeAll
    static void open() {
        for (int i = 0; i < INSTANCES; i++) {
            clients.add(TestDatabase.open(TOPOLOGY, SCHEMA));
        }
    }

    @AfterAll
    static void close() {
        clients.forEach(QueueClient::close);
        TestDatabase.dropSchema(SCHEMA);
    }

    @Test
    void standard_severalInstances_deliverEveryMessageExactlyOnce() throws Exception {
        int total = 3_000;
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES * 2);
        List<Future<?>> producers = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        for (int i = 0; i < INSTANCES; i++) {
            MessageQueue q = clients.get(i).queue("work");
            producers.add(pool.submit(() -> {
                int b;
                while ((b = next.getAndAdd(10)) < total) {
                    List<OutgoingMessage> batch = new ArrayList<>();
                    for (int j = b; j < b + 10; j++) {
                        batch.add(OutgoingMessage.of("m" + j));
                    }
                    assertThat(q.sendBatch(batch).allSucceeded()).isTrue();
                }
                return null;
            }));
        }
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        AtomicInteger received = new AtomicInteger();
        List<Future<?>> consumers = new ArrayList<>();
        for (int i = 0; i < INSTANCES * 2; i++) {
            MessageQueue q = clients.get(i % INSTANCES).queue("work");
            consumers.add(pool.submit(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (received.get() < total && System.nanoTime() < deadline) {
                    List<ReceivedMessage> got = q.receive(ReceiveRequest.of(10, Duration.ofSeconds(1)));
                    for (ReceivedMessage m : got) {
                        deliveries.merge(m.body(), 1, Integer::sum);
                    }
                    received.addAndGet(got.size());
                    if (!got.isEmpty()) {
                        assertThat(q.deleteBatch(got.stream().map(ReceivedMessage::receipt).toList()).allSucceeded()).isTrue();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : producers) {
            f.get();
        }
        for (Future<?> f : consumers) {
            f.get();
        }
        pool.shutdown();
        assertThat(deliveries).hasSize(total);
        assertThat(deliveries.values()).allMatch(n -> n == 1);
        assertThat(clients.get(0).queue("work").stats().total()).isZero();
    }

    @Test
    void fifo_severalInstances_keepEveryGroupInOrder() throws Exception {
        int groups = 20;
        int perGroup = 100;
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES * 2);
        List<Future<?>> producers = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            MessageQueue q = clients.get(i).queue("work.fifo");
            int instance = i;
            producers.add(pool.submit(() -> {
                for (int g = instance; g < groups; g += INSTANCES) {
                    for (int j = 0; j < perGroup; j += 5) {
                        List<OutgoingMessage> batch = new ArrayList<>();
                        for (int k = j; k < j + 5; k++) {
                            batch.add(OutgoingMessage.builder(g + ":" + k).groupId("g" + g).deduplicationId(SCHEMA + g + ":" + k).build());
                        }
                        assertThat(q.sendBatch(batch).allSucceeded()).isTrue();
                    }
                }
                return null;
            }));
        }
        int[] expected = new int[groups];
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        List<Future<?>> consumers = new ArrayList<>();
        for (int i = 0; i < INSTANCES * 2; i++) {
            MessageQueue q = clients.get(i % INSTANCES).queue("work.fifo");
            consumers.add(pool.submit(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (received.get() < groups * perGroup && System.nanoTime() < deadline) {
                    List<ReceivedMessage> got = q.receive(ReceiveRequest.of(10, Duration.ofSeconds(1)));
                    synchronized (expected) {
                        for (ReceivedMessage m : got) {
                            String[] p = m.body().split(":");
                            int g = Integer.parseInt(p[0]);
                            int k = Integer.parseInt(p[1]);
                            if (k != expected[g]) {
                                violations.incrementAndGet();
                            }
                            expected[g] = k + 1;
                        }
                    }
                    received.addAndGet(got.size());
                    if (!got.isEmpty()) {
                        assertThat(q.deleteBatch(got.stream().map(ReceivedMessage::receipt).toList()).allSucceeded()).isTrue();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : producers) {
            f.get();
        }
        for (Future<?> f : consumers) {
            f.get();
        }
        pool.shutdown();
        assertThat(violations.get()).isZero();
        assertThat(received.get()).isEqualTo(groups * perGroup);
        for (int g = 0; g < groups; g++) {
            assertThat(expected[g]).isEqualTo(perGroup);
        }
        assertThat(clients.get(0).queue("work.fifo").stats().total()).isZero();
    }
}
