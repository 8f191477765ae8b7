package io.github.mq4j.testkit.worker;

import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.FIFO_DLQ;
import static io.github.mq4j.testkit.TestTopology.PLAIN;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static io.github.mq4j.testkit.TestTopology.STANDARD_DLQ;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.SendResult;
import io.github.mq4j.testkit.ConformanceTest;
import io.github.mq4j.worker.BackoffPolicy;
import io.github.mq4j.worker.MessageHandler;
import io.github.mq4j.worker.SubscriptionOptions;
import io.github.mq4j.worker.Worker;
import io.github.mq4j.worker.WorkerListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker runtime end to end on a backend: a {@link Worker} over hundreds of messages with
 * failing handlers, FIFO groups with failures, shutdown while handlers run, and a handler that
 * outlasts its visibility timeout. Runs on {@link io.github.mq4j.testkit.TestTopology}; time passes
 * through the fixture ({@link io.github.mq4j.testkit.BackendFixture#advance(Duration)}), and the
 * worker's heartbeat measures it by the fixture's {@link io.github.mq4j.testkit.BackendFixture#now()}.
 *
 * <p>Subclass it once per backend, as every contract class:
 *
 * <pre>{@code
 * class PostgresWorkerTest extends WorkerContract {
 *     protected BackendFixture fixture() {
 *         return PostgresFixture.shared();
 *     }
 * }
 * }</pre>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class WorkerContract extends ConformanceTest {
    /** The worker's own visibility timeout where the heartbeat is not what a test is about. */
    private static final Duration HOLD_WHILE_RUNNING = Duration.ofSeconds(30);

    @Override
    protected Duration deadline() {
        return Duration.ofSeconds(60);
    }

    /** The backend's time, as a clock for the worker's heartbeat. */
    private Clock backendClock() {
        return new Clock() {
            @Override
            public Instant instant() {
                return backend().now();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
    }

    private Worker.Builder worker() {
        return Worker.builder().name("contract").clock(backendClock()).pollWaitTime(Duration.ofSeconds(1))
                .heartbeatInterval(Duration.ofMillis(100)).shutdownTimeout(Duration.ofSeconds(30));
    }

    private static SubscriptionOptions retryAtOnce() {
        return SubscriptionOptions.builder().visibilityTimeout(HOLD_WHILE_RUNNING).backoff(BackoffPolicy.immediate()).build();
    }

    /** Receives and deletes every visible message (deleting, so that a FIFO group's later messages come too). */
    private List<ReceivedMessage> drain(MessageQueue queue) {
        List<ReceivedMessage> all = new ArrayList<>();
        while (true) {
            List<ReceivedMessage> got = queue.receive(
                    ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ZERO).visibilityTimeout(HOLD).build());
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
            List<String> receipts = new ArrayList<>();
            for (ReceivedMessage m : got) {
                receipts.add(m.receipt());
            }
            assertThat(queue.deleteBatch(receipts).allSucceeded()).isTrue();
        }
    }

    /** Fails {@code percent}% of attempts, decided by message and attempt, so some messages fail every attempt. */
    private static boolean simulatedFailure(ReceivedMessage m, int percent) {
        return Math.floorMod((m.messageId() + "#" + m.receiveCount()).hashCode(), 100) < percent;
    }

    @Test
    void randomFailures_everyMessageEndsHandledOnceOrInTheDeadLetterQueue() {
        MessageQueue work = queue(STANDARD);
        MessageQueue dlq = queue(STANDARD_DLQ);
        int count = 300;
        Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
        startWorker(worker().concurrency(8).subscribe(work, (m, c) -> {
            if (simulatedFailure(m, 40)) {
                throw new IllegalStateException("simulated failure");
            }
            successes.computeIfAbsent(m.messageId(), k -> new AtomicInteger()).incrementAndGet();
        }, retryAtOnce()));

        List<OutgoingMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(OutgoingMessage.of("message-" + i));
        }
        Set<String> sent = new HashSet<>();
        for (SendResult r : sendAll(work, messages)) {
            sent.add(r.messageId());
        }

        await(() -> successes.size() + dlq.stats().visible() + ":" + work.stats().total(),
                s -> s.equals(count + ":0"), "every message handled or dead-lettered (handled+dead:left)");
        Set<String> dead = new HashSet<>();
        for (ReceivedMessage m : drain(dlq)) {
            assertThat(dead.add(m.messageId())).as("dead-lettered once: %s", m.messageId()).isTrue();
            assertThat(m.deadLetterSource()).isEqualTo(STANDARD);
        }
        assertThat(dead).isNotEmpty().doesNotContainAnyElementsOf(successes.keySet());
        Set<String> all = new HashSet<>(successes.keySet());
        all.addAll(dead);
        assertThat(all).isEqualTo(sent);
        assertThat(successes.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    }

    /**
     * With a max receive count of 3, a message given back after an earlier one of its group failed
     * may go to the dead-letter queue without having run (giving back counts as a receive): the
     * test expects, per group, the messages not dead-lettered, in order.
     */
    @Test
    void fifo_runsEachGroupInOrder_evenWithFailures() {
        MessageQueue fifo = queue(FIFO);
        MessageQueue dlq = queue(FIFO_DLQ);
        int groups = 5;
        int perGroup = 20;
        Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        startWorker(worker().concurrency(8).subscribe(fifo, (m, c) -> {
            AtomicInteger r = running.computeIfAbsent(m.groupId(), k -> new AtomicInteger());
            if (r.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                if (simulatedFailure(m, 20)) {
                    throw new IllegalStateException("simulated failure");
                }
                handled.computeIfAbsent(m.groupId(), k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(Integer.parseInt(m.body().substring(m.body().lastIndexOf('-') + 1)));
            } finally {
                r.decrementAndGet();
            }
        }, retryAtOnce()));

        List<OutgoingMessage> messages = new ArrayList<>();
        for (int i = 0; i < perGroup; i++) {
            for (int g = 0; g < groups; g++) {
                messages.add(fifoMessage("g" + g, "g" + g + "-" + i));
            }
        }
        sendAll(fifo, messages);

        await(() -> handled.values().stream().mapToInt(List::size).sum() + dlq.stats().visible() + ":" + fifo.stats().total(),
                s -> s.equals(groups * perGroup + ":0"), "every message handled or dead-lettered (handled+dead:left)");
        Map<String, Set<Integer>> dead = new ConcurrentHashMap<>();
        for (ReceivedMessage m : drain(dlq)) {
            dead.computeIfAbsent(m.groupId(), k -> new HashSet<>())
                    .add(Integer.parseInt(m.body().substring(m.body().lastIndexOf('-') + 1)));
        }
        for (int g = 0; g < groups; g++) {
            String group = "g" + g;
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perGroup; i++) {
                if (!dead.getOrDefault(group, Set.of()).contains(i)) {
                    expected.add(i);
                }
            }
            assertThat(handled.getOrDefault(group, List.of())).as("handled in group %s, in order", group)
                    .containsExactlyElementsOf(expected);
        }
        assertThat(overlaps).as("handlers of one group running at once").hasValue(0);
    }

    @Test
    void close_withHandlersRunning_losesNothingAndLeavesNothingHiddenThatNeverStarted() throws Exception {
        MessageQueue work = queue(STANDARD);
        MessageQueue fifo = queue(FIFO);
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch finish = new CountDownLatch(1);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        MessageHandler slow = (m, c) -> {
            started.countDown();
            assertThat(finish.await(60, TimeUnit.SECONDS)).isTrue();
            handled.add(m.messageId());
        };
        SubscriptionOptions hold = SubscriptionOptions.builder().visibilityTimeout(HOLD_WHILE_RUNNING).build();
        Worker w = startWorker(worker().concurrency(2)
                .subscribe(work, slow, hold)
                .subscribe(fifo, slow, SubscriptionOptions.builder().concurrency(10).visibilityTimeout(HOLD_WHILE_RUNNING).build()));
        List<OutgoingMessage> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.add(OutgoingMessage.of("job-" + i));
        }
        Set<String> sent = new HashSet<>();
        for (SendResult r : sendAll(work, jobs)) {
            sent.add(r.messageId());
        }
        sendToGroup(fifo, "one-group", 10);
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        awaitStats(fifo, s -> s.inFlight() == 10, "the FIFO group held by the worker");

        Thread closer = new Thread(w::close, "contract-closer");
        closer.start();
        await(() -> fifo.stats().visible() + ":" + work.stats().visible(), s -> s.equals("9:8"),
                "messages held but not started given back while handlers run (fifo:standard visible)");
        assertThat(closer.isAlive()).isTrue();
        finish.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(closer.isAlive()).isFalse();

        assertThat(handled).hasSize(3);
        QueueStats workStats = awaitStats(work, s -> s.inFlight() == 0, "nothing in flight");
        QueueStats fifoStats = awaitStats(fifo, s -> s.inFlight() == 0, "nothing in flight");
        assertThat(workStats.visible() + fifoStats.visible()).isEqualTo(17);
        Set<String> remaining = new HashSet<>();
        for (ReceivedMessage m : drain(work)) {
            remaining.add(m.messageId());
        }
        remaining.addAll(handled);
        assertThat(remaining).containsAll(sent);
    }

    @Test
    void close_ofAnIdleWorkerInALongPoll_isPrompt_andTheLatePollGivesBackWhatItTakes() {
        MessageQueue work = queue(STANDARD);
        Worker w = startWorker(worker().pollWaitTime(Duration.ofSeconds(20)).subscribe(work, (m, c) -> {
            throw new AssertionError("no handler runs after close(): " + m.body());
        }));
        await(() -> inReceive("contract-" + work.name() + "-poller"), in -> in, "the poller in its 20 s long poll");

        long start = System.nanoTime();
        w.close();
        // A behaviour bound, not a benchmark: close() does not wait out the 20 s poll.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        // If the poll still in progress takes this message, it gives it back at once, unrun.
        work.send("after close");
        awaitStats(work, s -> s.visible() == 1 && s.inFlight() == 0, "the message visible, not held by the closed worker");
    }

    /** Whether the thread named {@code name} is inside {@code MessageQueue.receive}. */
    private static boolean inReceive(String name) {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().equals(name)) {
                for (StackTraceElement frame : e.getValue()) {
                    if (frame.getMethodName().equals("receive") && frame.getClassName().startsWith("io.github.mq4j.")
                            && !frame.getClassName().startsWith("io.github.mq4j.worker.")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void handlerRunningPastTheVisibilityTimeout_isNotDeliveredAgainWhileItRuns() throws Exception {
        MessageQueue plain = queue(PLAIN); // visibility 2 s
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger extensions = new AtomicInteger();
        startWorker(worker().concurrency(1).listener(new WorkerListener() {
            @Override
            public void onVisibilityExtended(ReceivedMessage message, Duration timeout) {
                extensions.incrementAndGet();
            }
        }).subscribe(plain, (m, c) -> {
            calls.incrementAndGet();
            running.countDown();
            assertThat(finish.await(60, TimeUnit.SECONDS)).isTrue();
        }));
        plain.send("slow");
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        // Six steps of 1 s: three visibility timeouts pass while the handler runs; nobody else gets the message.
        for (int step = 1; step <= 6; step++) {
            int before = extensions.get();
            advance(Duration.ofSeconds(1));
            await(extensions::get, n -> n > before, "a visibility extension after step " + step);
            assertNothingToReceive(plain);
        }
        finish.countDown();

        assertQueueEmpty(plain);
        assertThat(calls).hasValue(1);
    }
}
