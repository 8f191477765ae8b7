package io.github.mq4j.testkit.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.Topology;
import io.github.mq4j.worker.BackoffPolicy;
import io.github.mq4j.worker.MessageHandler;
import io.github.mq4j.worker.SubscriptionOptions;
import io.github.mq4j.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker runtime end to end on a real backend: a {@link Worker} over many messages with
 * failing handlers, FIFO groups, shutdown while handlers run, and handlers that outlast their
 * visibility timeout. Everything runs in real time; the whole class takes some 15 seconds.
 *
 * <p>Subclass it once per backend and return a fresh client on isolated queues from
 * {@link #openClient(Topology)}:
 *
 * <pre>{@code
 * class PostgresWorkerTest extends WorkerContract {
 *     protected QueueClient openClient(Topology topology) {
 *         return QueueFactory.builder().type("postgres").topology(topology).config(freshSchema()).build();
 *     }
 * }
 * }</pre>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class WorkerContract {
    /** A standard queue with a dead-letter queue after 3 receives. */
    protected static final String WORK = "work";
    /** The dead-letter queue of {@link #WORK}. */
    protected static final String WORK_DLQ = "work-dlq";
    /** A FIFO queue with a dead-letter queue after 100 receives. */
    protected static final String WORK_FIFO = "work.fifo";
    /** The dead-letter queue of {@link #WORK_FIFO}. */
    protected static final String WORK_FIFO_DLQ = "work-dlq.fifo";
    /** A standard queue with a 2 s visibility timeout and no dead-letter queue. */
    protected static final String SLOW = "slow";

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private QueueClient client;
    private final List<Worker> workers = new ArrayList<>();

    /**
     * A new client for {@code topology} whose queues exist, are empty, and share nothing with other
     * tests' queues. The contract closes it after each test.
     */
    protected abstract QueueClient openClient(Topology topology);

    /** The topology every test of the contract uses. */
    protected static Topology topology() {
        return Topology.of(
                QueueSpec.standard(WORK).visibilityTimeout(Duration.ofSeconds(30)).deadLetter(WORK_DLQ, 3).build(),
                QueueSpec.standard(WORK_DLQ).visibilityTimeout(Duration.ofSeconds(30)).build(),
                QueueSpec.fifo(WORK_FIFO).visibilityTimeout(Duration.ofSeconds(30)).deadLetter(WORK_FIFO_DLQ, 100).build(),
                QueueSpec.fifo(WORK_FIFO_DLQ).visibilityTimeout(Duration.ofSeconds(30)).build(),
                QueueSpec.standard(SLOW).visibilityTimeout(Duration.ofSeconds(2)).build());
    }

    @BeforeEach
    void open() {
        client = openClient(topology());
    }

    @AfterEach
    void close() {
        for (Worker w : workers) {
            w.close();
        }
        client.close();
    }

    private Worker start(Worker.Builder builder) {
        Worker w = builder.pollWaitTime(Duration.ofSeconds(1)).shutdownTimeout(Duration.ofSeconds(20)).build();
        workers.add(w);
        w.start();
        return w;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static List<ReceivedMessage> drain(MessageQueue queue) {
        List<ReceivedMessage> all = new ArrayList<>();
        while (true) {
            List<ReceivedMessage> got = queue.receive(ReceiveRequest.of(10, Duration.ZERO));
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
        }
    }

    private static List<String> send(MessageQueue queue, int count) {
        List<String> ids = new ArrayList<>();
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(OutgoingMessage.of("message-" + i));
            if (batch.size() == 10 || i == count - 1) {
                var result = queue.sendBatch(batch);
                assertThat(result.allSucceeded()).isTrue();
                result.successful().forEach(s -> ids.add(s.value().messageId()));
                batch.clear();
            }
        }
        return ids;
    }

    /** Fails about 40% of attempts, decided by message and attempt, so some messages fail every attempt. */
    private static boolean simulatedFailure(ReceivedMessage m, int percent) {
        return Math.floorMod((m.messageId() + "#" + m.receiveCount()).hashCode(), 100) < percent;
    }

    @Test
    void randomFailures_everyMessageEndsHandledOnceOrInTheDeadLetterQueue() {
        MessageQueue work = client.queue(WORK);
        MessageQueue dlq = client.queue(WORK_DLQ);
        int count = 300;
        Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
        start(Worker.builder().name("contract").concurrency(8).subscribe(work, (m, c) -> {
            if (simulatedFailure(m, 40)) {
                throw new IllegalStateException("simulated failure");
            }
            successes.computeIfAbsent(m.messageId(), k -> new AtomicInteger()).incrementAndGet();
        }, SubscriptionOptions.builder().backoff(BackoffPolicy.immediate()).build()));

        List<String> sent = send(work, count);

        await("every message handled or dead-lettered",
                () -> successes.size() + dlq.stats().visible() == count && work.stats().total() == 0);
        Set<String> dead = new HashSet<>();
        for (ReceivedMessage m : drain(dlq)) {
            assertThat(dead.add(m.messageId())).as("dead-lettered once: " + m.messageId()).isTrue();
            assertThat(m.deadLetterSource()).isEqualTo(WORK);
        }
        assertThat(dead).isNotEmpty().doesNotContainAnyElementsOf(successes.keySet());
        Set<String> all = new HashSet<>(successes.keySet());
        all.addAll(dead);
        assertThat(all).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(successes.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    }

    @Test
    void fifo_runsEachGroupInOrder_evenWithFailures() {
        MessageQueue fifo = client.queue(WORK_FIFO);
        int groups = 5;
        int perGroup = 20;
        Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        start(Worker.builder().name("contract").concurrency(8).subscribe(fifo, (m, c) -> {
            AtomicInteger r = running.computeIfAbsent(m.groupId(), k -> new AtomicInteger());
            if (r.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                if (simulatedFailure(m, 30)) {
                    throw new IllegalStateException("simulated failure");
                }
                handled.computeIfAbsent(m.groupId(), k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(Integer.parseInt(m.body().substring(m.body().indexOf(':') + 1)));
            } finally {
                r.decrementAndGet();
            }
        }, SubscriptionOptions.builder().backoff(BackoffPolicy.immediate()).build()));

        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < perGroup; i++) {
            for (int g = 0; g < groups; g++) {
                batch.add(OutgoingMessage.builder("g" + g + ":" + i).groupId("g" + g).deduplicationId("g" + g + "-" + i).build());
                if (batch.size() == 10) {
                    assertThat(fifo.sendBatch(batch).allSucceeded()).isTrue();
                    batch.clear();
                }
            }
        }

        await("every message handled", () -> handled.values().stream().mapToInt(List::size).sum() == groups * perGroup
                && fifo.stats().total() == 0);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perGroup; i++) {
            expected.add(i);
        }
        assertThat(handled).hasSize(groups);
        handled.forEach((group, sequence) -> assertThat(sequence).as(group).containsExactlyElementsOf(expected));
        assertThat(overlaps).hasValue(0);
    }

    @Test
    void close_withHandlersRunning_losesNothingAndLeavesNothingHiddenThatNeverStarted() throws Exception {
        MessageQueue work = client.queue(WORK);
        MessageQueue fifo = client.queue(WORK_FIFO);
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch finish = new CountDownLatch(1);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        MessageHandler slow = (m, c) -> {
            started.countDown();
            assertThat(finish.await(60, TimeUnit.SECONDS)).isTrue();
            handled.add(m.messageId());
        };
        Worker w = start(Worker.builder().name("contract").concurrency(2)
                .subscribe(work, slow)
                .subscribe(fifo, slow, SubscriptionOptions.builder().concurrency(10).build()));
        List<String> sent = send(work, 10);
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(OutgoingMessage.builder("f" + i).groupId("one-group").deduplicationId("f" + i).build());
        }
        assertThat(fifo.sendBatch(batch).allSucceeded()).isTrue();
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        await("the FIFO group is held", () -> fifo.stats().inFlight() == 10);

        Thread closer = new Thread(w::close, "contract-closer");
        closer.start();
        await("messages held but not started are given back while handlers run",
                () -> fifo.stats().visible() == 9 && work.stats().visible() == 8);
        assertThat(closer.isAlive()).isTrue();
        finish.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(closer.isAlive()).isFalse();

        assertThat(handled).hasSize(3);
        QueueStats workStats = work.stats();
        QueueStats fifoStats = fifo.stats();
        assertThat(workStats.inFlight()).isZero();
        assertThat(fifoStats.inFlight()).isZero();
        assertThat(workStats.visible() + fifoStats.visible()).isEqualTo(17);
        Set<String> remaining = new HashSet<>();
        for (ReceivedMessage m : drain(work)) {
            remaining.add(m.messageId());
        }
        remaining.addAll(handled);
        assertThat(remaining).containsAll(sent);
    }

    @Test
    void handlerRunningPastTheVisibilityTimeout_isNotDeliveredAgainWhileItRuns() throws Exception {
        MessageQueue slowQueue = client.queue(SLOW); // visibility 2 s
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        start(Worker.builder().name("contract").concurrency(1).subscribe(slowQueue, (m, c) -> {
            calls.incrementAndGet();
            running.countDown();
            assertThat(finish.await(60, TimeUnit.SECONDS)).isTrue();
        }));
        slowQueue.send("slow");
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        // Three times the visibility timeout passes while the handler runs; nobody else gets the message.
        long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < end) {
            assertThat(slowQueue.receive(ReceiveRequest.of(1, Duration.ofSeconds(1)))).isEmpty();
        }
        finish.countDown();

        await("handled and deleted", () -> slowQueue.stats().total() == 0);
        assertThat(calls).hasValue(1);
    }
}
