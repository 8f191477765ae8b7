package io.github.mq4j.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.Topology;
import io.github.mq4j.ValidationException;
import io.github.mq4j.memory.ManualClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker's logic, on the in-memory backend with a manual clock. */
class WorkerTest {
    private static final Duration VISIBILITY = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock();
    private final List<Worker> workers = new ArrayList<>();
    private QueueClient client;

    @BeforeEach
    void openClient() {
        Topology topology = Topology.of(
                QueueSpec.standard("jobs").visibilityTimeout(VISIBILITY).deadLetter("dlq", 3).build(),
                QueueSpec.standard("high").visibilityTimeout(VISIBILITY).deadLetter("dlq", 3).build(),
                QueueSpec.standard("low").visibilityTimeout(VISIBILITY).deadLetter("dlq", 3).build(),
                QueueSpec.standard("plain").visibilityTimeout(Duration.ofSeconds(10)).build(),
                QueueSpec.standard("dlq").visibilityTimeout(VISIBILITY).build(),
                QueueSpec.fifo("ordered.fifo").visibilityTimeout(VISIBILITY).deadLetter("dlq.fifo", 100).build(),
                QueueSpec.fifo("dlq.fifo").visibilityTimeout(VISIBILITY).build());
        client = QueueFactory.builder().type("memory").topology(topology).clock(clock).build();
    }

    @AfterEach
    void closeAll() {
        for (Worker w : workers) {
            w.close();
        }
        client.close();
    }

    private Worker.Builder worker(String name) {
        return Worker.builder().name(name).clock(clock).pollWaitTime(Duration.ofSeconds(1))
                .heartbeatInterval(Duration.ofMillis(20)).shutdownTimeout(Duration.ofSeconds(10));
    }

    private Worker started(Worker.Builder builder) {
        Worker w = builder.build();
        workers.add(w);
        w.start();
        return w;
    }

    private List<String> sendMany(MessageQueue queue, int count, String prefix) {
        List<String> ids = new ArrayList<>();
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(OutgoingMessage.of(prefix + i));
            if (batch.size() == 10 || i == count - 1) {
                for (var e : queue.sendBatch(batch).successful()) {
                    ids.add(e.value().messageId());
                }
                batch.clear();
            }
        }
        assertThat(ids).hasSize(count);
        return ids;
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

    // ---- acknowledge after completion ----

    @Test
    void handlerReturns_messageIsDeleted() {
        MessageQueue jobs = client.queue("jobs");
        RecordingListener events = new RecordingListener();
        List<String> bodies = new CopyOnWriteArrayList<>();
        started(worker("w").listener(events).subscribe(jobs, (m, c) -> bodies.add(m.body())));

        sendMany(jobs, 25, "job-");

        Await.until("25 messages handled and deleted", () -> bodies.size() == 25 && jobs.stats().total() == 0);
        assertThat(new HashSet<>(bodies)).hasSize(25);
        assertThat(events.succeeded).hasValue(25);
        assertThat(events.received).hasValue(25);
    }

    /** Sends 300 messages to a running worker whose handler records them in {@code handled}, so that it knows its handlers are quick. */
    private void warmUp(MessageQueue queue, Set<String> handled) {
        sendMany(queue, 300, "warm-");
        Await.until("the warm-up handled", () -> handled.size() == 300);
    }

    /**
     * Starts a worker of 20 slots (two pollers) whose handler records each body in {@code handled},
     * waiting for {@code release} first when the body starts with "block"; and warms it up.
     */
    private void startWarmWorkerWithBlockers(MessageQueue queue, Set<String> handled, CountDownLatch release) {
        started(worker("w").concurrency(20).subscribe(queue, (m, c) -> {
            if (m.body().startsWith("block")) {
                release.await(20, TimeUnit.SECONDS);
            }
            handled.add(m.body());
        }));
        warmUp(queue, handled);
    }

    /**
     * Waits until {@code count} messages with {@code prefix} are handled while the blocking ones
     * still wait, then releases those and waits until all {@code total} are handled and deleted.
     */
    private static void assertHandledWhileBlocked(MessageQueue queue, Set<String> handled, CountDownLatch release, String prefix,
            int count, int total) {
        try {
            Await.until(count + " messages '" + prefix + "*' handled while the blocking ones still run",
                    () -> handled.stream().filter(b -> b.startsWith(prefix)).count() == count);
            assertThat(handled).noneMatch(b -> b.startsWith("block"));
        } finally {
            release.countDown();
        }
        Await.until("all handled", () -> handled.size() == total && queue.stats().total() == 0);
    }

    @Test
    void quickHandlers_withPollersToSpare_runOnThePollersThreads() {
        MessageQueue jobs = client.queue("jobs");
        Map<String, String> threadByBody = new ConcurrentHashMap<>();
        Worker w = started(worker("w").concurrency(20)
                .subscribe(jobs, (m, c) -> threadByBody.put(m.body(), Thread.currentThread().getName())));

        // the first batches go to the executor; once handlers are known to be quick, pollers run
        // them (on a loaded machine, maybe only after a few hundred more)
        int sent = 0;
        do {
            sendMany(jobs, 500, "job-" + sent + "-");
            sent += 500;
            int expected = sent;
            Await.until(sent + " handled and deleted", () -> threadByBody.size() == expected && jobs.stats().total() == 0);
        } while (threadByBody.values().stream().noneMatch(t -> t.contains("-poller")) && sent < 5000);
        assertThat(threadByBody.values()).anyMatch(t -> t.contains("-poller"));
        assertThat(threadByBody.values()).anyMatch(t -> !t.contains("-poller"));
        awaitNothingHeld(w);
    }

    @Test
    void handlersQuickerThanTheBackend_oneReceivingPollerAtATime_asOneLoopWould() {
        MessageQueue jobs = client.queue("jobs");
        Set<String> handled = ConcurrentHashMap.newKeySet();
        Worker w = started(worker("w").concurrency(40) // four pollers
                .subscribe(jobs, (m, c) -> handled.add(m.body())));
        Subscription subscription = w.subscriptions().get(0);
        int sent = 0;
        do {
            sendMany(jobs, 100, "warm-" + sent + "-");
            sent += 100;
            int expected = sent;
            Await.until("warm-up handled and deleted", () -> handled.size() == expected && jobs.stats().total() == 0);
        } while (!subscription.takesTurns() && sent < 20_000);
        assertThat(subscription.takesTurns()).as("the pollers take turns after 20,000 quick handlers").isTrue();

        // idle, the poller whose turn it is long-polls (waiting in the backend, with a timeout);
        // the other three wait in the group for their turn (without one), none in a receive
        Await.until("one poller in its long poll, three waiting for their turn", () -> {
            List<Thread.State> states = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                states.addAll(pollerStates("w-jobs-poller-" + i));
            }
            return Collections.frequency(states, Thread.State.TIMED_WAITING) == 1
                    && Collections.frequency(states, Thread.State.WAITING) == 3;
        });
        sendMany(jobs, 500, "job-");
        int total = sent + 500;
        Await.until("the rest handled and deleted", () -> handled.size() == total && jobs.stats().total() == 0);
        awaitNothingHeld(w);
    }

    /** Once every message is settled, no batch is registered and no slot is in use (none leaked). */
    private static void awaitNothingHeld(Worker w) {
        Await.until("no batch registered and no slot in use", () -> w.inFlight() == 0
                && w.subscriptions().stream().allMatch(s -> s.batches.isEmpty() && s.group.heldSlots() == 0));
    }

    @Test
    void aSlowHandlerRunningOnAPoller_handsTheRestOfItsBatchToTheExecutor() throws Exception {
        MessageQueue jobs = client.queue("jobs");
        Set<String> handled = ConcurrentHashMap.newKeySet();
        CountDownLatch release = new CountDownLatch(1);
        startWarmWorkerWithBlockers(jobs, handled, release);

        // each poller's next batch starts with a blocking message, then quick ones
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(OutgoingMessage.of(i < 2 ? "block-" + i : "quick-" + i));
        }
        jobs.sendBatch(batch);
        assertHandledWhileBlocked(jobs, handled, release, "quick-", 8, 310);
    }

    @Test
    void aBatchOnAPollerThatGoesOn_sendsTheDeletesOfWhatItHandledMeanwhile() throws Exception {
        MessageQueue jobs = client.queue("jobs");
        Map<String, String> threadByBody = new ConcurrentHashMap<>();
        AtomicReference<CountDownLatch> release = new AtomicReference<>(new CountDownLatch(1));
        // with a delete delay of 1 s, deletes that went through the shared buffer would wait for
        // it while the blocking message is held: only the poller's run sends them sooner
        started(worker("w").concurrency(20).maxDeleteDelay(Duration.ofSeconds(1)).subscribe(jobs, (m, c) -> {
            if (m.body().startsWith("block")) {
                release.get().await(20, TimeUnit.SECONDS);
            }
            threadByBody.put(m.body(), Thread.currentThread().getName());
        }));
        int sent = 0;
        for (int attempt = 1; ; attempt++) {
            // warm up until pollers run the batches (a pause taken for a slow handler sends the
            // next ones to the handler threads for a while)
            sent += warmUntilPollersRunBatches(jobs, threadByBody, "warm-" + attempt + "-", sent + 10 * (attempt - 1));
            List<String> quick = sendQuickOnesThenBlocking(jobs, "quick-" + attempt + "-", "block-" + attempt);
            try {
                Await.until("the quick ones handled", () -> threadByBody.keySet().containsAll(quick));
                if (threadByBody.get(quick.get(0)).contains("-poller") || attempt == 5) {
                    assertThat(threadByBody.get(quick.get(0))).as("the batch ran on a poller").contains("-poller");
                    Await.until("the quick ones deleted while the last one blocks", Duration.ofMillis(800),
                            () -> jobs.stats().total() == 1);
                    return;
                }
            } finally {
                release.getAndSet(new CountDownLatch(1)).countDown();
                int expected = sent + 10 * attempt;
                Await.until("all handled and deleted", () -> threadByBody.size() == expected && jobs.stats().total() == 0);
            }
        }
    }

    @Test
    void aJvmErrorInAHandlerOnAPoller_losesNoMessageAndThePollerGoesOn() {
        MessageQueue jobs = client.queue("jobs");
        Set<String> handled = ConcurrentHashMap.newKeySet();
        started(worker("w").concurrency(20).subscribe(jobs, (m, c) -> {
            if (m.body().equals("overflow")) {
                throw new StackOverflowError("a handler recursed too deep");
            }
            if (m.body().equals("interrupted")) {
                Thread.currentThread().interrupt(); // returns with its thread's interrupt flag set
            }
            handled.add(m.body());
        }));
        warmUp(jobs, handled);

        List<OutgoingMessage> batch = new ArrayList<>();
        batch.add(OutgoingMessage.of("overflow"));
        batch.add(OutgoingMessage.of("interrupted"));
        for (int i = 0; i < 8; i++) {
            batch.add(OutgoingMessage.of("after-" + i));
        }
        jobs.sendBatch(batch);
        Await.until("the rest of the batch handled", () -> handled.containsAll(
                List.of("interrupted", "after-0", "after-1", "after-2", "after-3", "after-4", "after-5", "after-6", "after-7")));
        // the pollers still receive, and their receives are not cut short by a left-over interrupt
        sendMany(jobs, 100, "later-");
        Await.until("later messages handled", () -> handled.stream().filter(b -> b.startsWith("later-")).count() == 100);
        // the handled messages' deletes may still be on their way; the overflowing message waits
        // for its retry (the manual clock never ends its backoff, nor anyone's visibility timeout)
        Await.until("only the overflowing message in flight", () -> jobs.stats().inFlight() == 1);
    }

    @Test
    void handlersHangingOnEveryPoller_leaveOnePollerReceiving() throws Exception {
        MessageQueue jobs = client.queue("jobs");
        Set<String> handled = ConcurrentHashMap.newKeySet();
        CountDownLatch release = new CountDownLatch(1);
        startWarmWorkerWithBlockers(jobs, handled, release);
        jobs.sendBatch(List.of(OutgoingMessage.of("block-0"), OutgoingMessage.of("block-1")));
        Thread.sleep(50);
        sendMany(jobs, 50, "meanwhile-");
        assertHandledWhileBlocked(jobs, handled, release, "meanwhile-", 50, 352);
    }

    @Test
    void pendingDeletes_areFlushedOnClose() throws Exception {
        MessageQueue jobs = client.queue("jobs");
        RecordingListener events = new RecordingListener();
        CountDownLatch blocking = new CountDownLatch(1);
        // The blocked handler keeps a message held, so the other deletes wait for the 1 s delay.
        Worker w = started(worker("w").concurrency(4).listener(events).maxDeleteDelay(Duration.ofSeconds(1))
                .shutdownTimeout(Duration.ZERO).subscribe(jobs, (m, c) -> {
                    if (m.body().equals("block")) {
                        blocking.countDown();
                        Thread.sleep(60_000); // interrupted by close() after its shutdown timeout of 0
                    }
                }));
        jobs.send("block");
        assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
        sendMany(jobs, 3, "job-");
        Await.until("3 handled", () -> events.succeeded.get() == 3);

        w.close();

        assertThat(jobs.stats().total()).as("only the interrupted message is left").isEqualTo(1);
    }

    @Test
    void close_whileAHandlerOnAPollerOutlastsTheShutdownTimeout_deletesWhatItsBatchHandledBefore() throws Exception {
        MessageQueue jobs = client.queue("jobs");
        for (int attempt = 1; ; attempt++) {
            Map<String, String> threadByBody = new ConcurrentHashMap<>();
            CountDownLatch blocking = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch schedulerHeld = new CountDownLatch(1);
            String blocker = "block-" + attempt;
            // The blocking message's first visibility extension holds the scheduler's thread, so that
            // the check of batches on pollers cannot send the quick ones' deletes before close() does.
            WorkerListener holdScheduler = new WorkerListener() {
                @Override
                public void onVisibilityExtended(ReceivedMessage message, Duration timeout) {
                    if (message.body().equals(blocker) && schedulerHeld.getCount() > 0) {
                        schedulerHeld.countDown();
                        awaitIgnoringInterrupts(release);
                    }
                }
            };
            Worker w = started(worker("w" + attempt).concurrency(20).heartbeatInterval(Duration.ofMillis(1))
                    .shutdownTimeout(Duration.ZERO).listener(holdScheduler).subscribe(jobs, (m, c) -> {
                        if (m.body().equals(blocker)) {
                            clock.advance(VISIBILITY.dividedBy(2).plusSeconds(1)); // due for an extension
                            blocking.countDown();
                            awaitIgnoringInterrupts(release); // outlasts the interrupt at the shutdown timeout
                        }
                        threadByBody.put(m.body(), Thread.currentThread().getName());
                    }));
            warmUntilPollersRunBatches(jobs, threadByBody, "warm-" + attempt + "-", 0);
            List<String> quick = sendQuickOnesThenBlocking(jobs, "quick-" + attempt + "-", blocker);
            try {
                assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(schedulerHeld.await(10, TimeUnit.SECONDS)).isTrue();
                // a pause taken for a stalled handler sends batches to the handler threads for a while: try again
                boolean onAPoller = threadByBody.get(quick.get(0)).contains("-poller");
                if (onAPoller || attempt == 5) {
                    assertThat(onAPoller).as("the batch ran on a poller").isTrue();
                    w.close();
                    assertThat(jobs.stats().total()).as("only the message whose handler still runs is left").isEqualTo(1);
                    return;
                }
            } finally {
                release.countDown();
            }
            w.close();
            clock.advance(VISIBILITY); // the blocking message, if its delete went out after the close
            drain(jobs).forEach(m -> jobs.delete(m.receipt()));
        }
    }

    /**
     * Sends rounds of 100 messages named {@code prefix}, each once the last is handled and deleted,
     * until the last of a round ran on a poller's thread (at most 5,000); {@code threadByBody}
     * records where each ran, and held {@code before} others. Returns how many it sent.
     */
    private int warmUntilPollersRunBatches(MessageQueue queue, Map<String, String> threadByBody, String prefix, int before) {
        int sent = 0;
        do {
            sendMany(queue, 100, prefix + sent + "-");
            sent += 100;
            int expected = before + sent;
            Await.until("warm-up handled and deleted", () -> threadByBody.size() == expected && queue.stats().total() == 0);
        } while (!threadByBody.get(prefix + (sent - 100) + "-99").contains("-poller") && sent < 5000);
        return sent;
    }

    /** Sends, in one batch, nine messages named {@code prefix} and then {@code blocker}; returns the nine's bodies. */
    private static List<String> sendQuickOnesThenBlocking(MessageQueue queue, String prefix, String blocker) {
        List<OutgoingMessage> batch = new ArrayList<>();
        List<String> quick = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            quick.add(prefix + i);
            batch.add(OutgoingMessage.of(quick.get(i)));
        }
        batch.add(OutgoingMessage.of(blocker));
        queue.sendBatch(batch);
        return quick;
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void deletes_goOutAtOnceFromTheHandlerThreadWhenTheWorkerHoldsNoOtherMessage() {
        MessageQueue jobs = client.queue("jobs");
        List<String> deletingThreads = new CopyOnWriteArrayList<>();
        MessageQueue watched = (MessageQueue) Proxy.newProxyInstance(MessageQueue.class.getClassLoader(),
                new Class<?>[] {MessageQueue.class}, (proxy, method, args) -> {
                    if (method.getName().equals("deleteBatch")) {
                        deletingThreads.add(Thread.currentThread().getName());
                    }
                    try {
                        return method.invoke(jobs, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        started(worker("w").maxDeleteDelay(Duration.ofSeconds(1)).subscribe(watched, (m, c) -> {}));
        jobs.send("alone");
        Await.until("deleted", () -> jobs.stats().total() == 0);
        // Nothing else held could join its batch: the handler's thread sent it, not the scheduler after the delay.
        assertThat(deletingThreads).singleElement().satisfies(name -> assertThat(name).startsWith("w-jobs-"));
    }

    // ---- failures, retries, dead letters ----

    @Test
    void randomFailures_everyMessageEndsHandledOnceOrInTheDeadLetterQueue() {
        MessageQueue jobs = client.queue("jobs");
        MessageQueue dlq = client.queue("dlq");
        int count = 2000;
        Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
        RecordingListener events = new RecordingListener();
        Worker w = started(worker("w").concurrency(8).listener(events)
                .subscribe(jobs, (m, c) -> {
                    // Fails about 40% of attempts, decided by message and attempt, so that some fail all 3.
                    if (Math.floorMod((m.messageId() + "#" + m.receiveCount()).hashCode(), 10) < 4) {
                        throw new IllegalStateException("simulated failure");
                    }
                    successes.computeIfAbsent(m.messageId(), k -> new AtomicInteger()).incrementAndGet();
                }, SubscriptionOptions.builder().backoff(BackoffPolicy.immediate()).build()));

        List<String> sent = sendMany(jobs, count, "job-");

        Await.until("every message handled or dead-lettered", Duration.ofSeconds(40),
                () -> successes.size() + dlq.stats().visible() == count && jobs.stats().total() == 0);
        awaitNothingHeld(w);
        List<ReceivedMessage> dead = drain(dlq);
        Set<String> deadIds = new HashSet<>();
        for (ReceivedMessage m : dead) {
            deadIds.add(m.messageId());
            assertThat(m.deadLetterSource()).isEqualTo("jobs");
        }
        assertThat(deadIds).hasSize(dead.size()).isNotEmpty();
        assertThat(successes.keySet()).doesNotContainAnyElementsOf(deadIds);
        Set<String> all = new HashSet<>(successes.keySet());
        all.addAll(deadIds);
        assertThat(all).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(successes.values()).allSatisfy(n -> assertThat(n).hasValue(1));
        assertThat(events.deadLettered).hasSize(deadIds.size()).containsOnly(DeadLetterReason.MAX_RECEIVES);
        assertThat(events.retries).hasSize(events.failed.get() - deadIds.size());
    }

    @Test
    void failure_hidesMessageForItsBackoff_thenRetries() {
        MessageQueue jobs = client.queue("jobs");
        RecordingListener events = new RecordingListener();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        started(worker("w").listener(events).subscribe(jobs, (m, c) -> {
            attempts.add(c.receiveCount());
            if (c.receiveCount() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
        }, SubscriptionOptions.builder().backoff(BackoffPolicy.fixed(Duration.ofSeconds(60))).build()));

        jobs.send("job");
        Await.until("the first attempt failed", () -> events.retries.size() == 1);
        assertThat(events.retries).containsExactly(Duration.ofSeconds(60));
        QueueStats hidden = jobs.stats();
        assertThat(hidden.inFlight()).isEqualTo(1);
        assertThat(hidden.visible()).isZero();

        clock.advance(Duration.ofSeconds(61));

        Await.until("retried and deleted", () -> events.succeeded.get() == 1 && jobs.stats().total() == 0);
        assertThat(attempts).containsExactly(1, 2);
    }

    @Test
    void failingOnTheLastReceive_sendsTheMessageToTheDeadLetterQueue() {
        MessageQueue jobs = client.queue("jobs");
        MessageQueue dlq = client.queue("dlq");
        RecordingListener events = new RecordingListener();
        started(worker("w").listener(events).subscribe(jobs, (m, c) -> {
            throw new IllegalStateException("always fails, attempt " + c.receiveCount() + (c.isLastAttempt() ? " (last)" : ""));
        }, SubscriptionOptions.builder().backoff(BackoffPolicy.immediate()).build()));

        String id = jobs.send("doomed").messageId();

        Await.until("the message is in the dead-letter queue", () -> dlq.stats().visible() == 1);
        assertThat(events.failed).hasValue(3);
        assertThat(events.deadLettered).containsExactly(DeadLetterReason.MAX_RECEIVES);
        assertThat(drain(dlq)).singleElement().satisfies(m -> assertThat(m.messageId()).isEqualTo(id));
    }

    @Test
    void rejectAsPoison_movesTheMessageToTheDeadLetterQueueAtOnce() {
        MessageQueue jobs = client.queue("jobs");
        MessageQueue dlq = client.queue("dlq");
        RecordingListener events = new RecordingListener();
        started(worker("w").listener(events).subscribe(jobs, (m, c) -> {
            if (m.body().equals("bad-context")) {
                c.rejectAsPoison("cannot parse");
            } else if (m.body().equals("bad-exception")) {
                throw new PoisonMessageException("cannot parse either");
            }
        }));

        jobs.send("bad-context");
        jobs.send("bad-exception");
        jobs.send("good");

        Await.until("two in the dead-letter queue and none left", () -> dlq.stats().visible() == 2 && jobs.stats().total() == 0);
        assertThat(drain(dlq)).extracting(ReceivedMessage::body).containsExactlyInAnyOrder("bad-context", "bad-exception");
        assertThat(events.deadLettered).containsExactly(DeadLetterReason.REJECTED, DeadLetterReason.REJECTED);
        assertThat(events.failed).hasValue(2);
        assertThat(events.succeeded).hasValue(1);
    }

    @Test
    void rejectAsPoison_onAQueueWithoutDeadLetterQueue_retriesTheMessage() {
        MessageQueue plain = client.queue("plain");
        RecordingListener events = new RecordingListener();
        started(worker("w").listener(events).subscribe(plain, (m, c) -> {
            if (c.receiveCount() == 1) {
                c.rejectAsPoison("looks bad");
            }
        }, SubscriptionOptions.builder().backoff(BackoffPolicy.immediate()).build()));

        plain.send("m");

        Await.until("handled on the second receive", () -> events.succeeded.get() == 1 && plain.stats().total() == 0);
        assertThat(events.retries).containsExactly(Duration.ZERO);
        assertThat(events.deadLettered).isEmpty();
    }

    // ---- visibility heartbeat ----

    @Test
    void handlerRunningPastTheVisibilityTimeout_isNotDeliveredAgainWhileItRuns() throws Exception {
        MessageQueue plain = client.queue("plain"); // visibility 10 s
        RecordingListener events = new RecordingListener();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        started(worker("w").concurrency(1).listener(events).subscribe(plain, (m, c) -> {
            calls.incrementAndGet();
            running.countDown();
            assertThat(finish.await(30, TimeUnit.SECONDS)).isTrue();
        }));
        plain.send("slow");
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        // Ten steps of 6 s: 60 s in all, six visibility timeouts; each step passes the half-way mark.
        for (int step = 1; step <= 10; step++) {
            clock.advance(Duration.ofSeconds(6));
            int expected = step;
            Await.until("extension " + step, () -> events.extended.get() >= expected);
            assertThat(plain.receive(ReceiveRequest.of(10, Duration.ZERO))).isEmpty();
        }
        finish.countDown();

        Await.until("handled and deleted", () -> events.succeeded.get() == 1 && plain.stats().total() == 0);
        assertThat(calls).hasValue(1);
    }

    @Test
    void messageLostToAnotherConsumer_isNotDeletedByTheWorkerThatLostIt() throws Exception {
        MessageQueue plain = client.queue("plain"); // visibility 10 s
        RecordingListener events = new RecordingListener();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Worker w = started(worker("w").concurrency(1).listener(events).subscribe(plain, (m, c) -> {
            running.countDown();
            assertThat(finish.await(30, TimeUnit.SECONDS)).isTrue();
        }));
        plain.send("slow");
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofSeconds(11)); // past the timeout in one step, before any heartbeat could extend it
        List<ReceivedMessage> stolen = plain.receive(ReceiveRequest.of(1, Duration.ZERO));
        assertThat(stolen).singleElement().satisfies(m -> assertThat(m.receiveCount()).isEqualTo(2));
        finish.countDown();
        Await.until("the worker's handler finished", () -> events.succeeded.get() == 1);
        w.close(); // sends the worker's pending (stale) delete

        assertThat(plain.stats().inFlight()).as("the other consumer still holds the message").isEqualTo(1);
        plain.delete(stolen.get(0));
        assertThat(plain.stats().total()).isZero();
    }

    @Test
    void extendVisibility_fromTheHandler_hidesTheMessageForTheGivenTime() throws Exception {
        MessageQueue plain = client.queue("plain"); // visibility 10 s
        RecordingListener events = new RecordingListener();
        CountDownLatch extended = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        started(worker("w").listener(events).heartbeatInterval(Duration.ofSeconds(1)).subscribe(plain, (m, c) -> {
            c.extendVisibility(Duration.ofSeconds(100));
            extended.countDown();
            assertThat(finish.await(30, TimeUnit.SECONDS)).isTrue();
        }));
        plain.send("m");
        assertThat(extended.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofSeconds(40)); // past the queue's 10 s, before half of the 100 s
        assertThat(plain.receive(ReceiveRequest.of(1, Duration.ZERO))).isEmpty();
        assertThat(events.extended).hasValue(1);
        finish.countDown();
        Await.until("deleted", () -> plain.stats().total() == 0);
    }

    // ---- slots and priority ----

    @Test
    void worker_neverHoldsMoreMessagesThanItsFreeSlots() throws Exception {
        MessageQueue jobs = client.queue("jobs");
        RecordingListener events = new RecordingListener();
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        started(worker("w").concurrency(3).listener(events).subscribe(jobs, (m, c) -> {
            running.incrementAndGet();
            assertThat(finish.await(30, TimeUnit.SECONDS)).isTrue();
        }));
        sendMany(jobs, 20, "job-");

        Await.until("3 handlers running", () -> running.get() == 3);
        QueueStats stats = jobs.stats();
        assertThat(stats.inFlight()).isEqualTo(3);
        assertThat(stats.visible()).isEqualTo(17);
        finish.countDown();

        Await.until("all handled", () -> events.succeeded.get() == 20 && jobs.stats().total() == 0);
        assertThat(events.maxInFlight.get("jobs")).isEqualTo(3);
        assertThat(events.inFlight.get("jobs")).isZero();
    }

    @Test
    void sharedSlots_serveTheQueuesInTheOrderSubscribed() {
        MessageQueue high = client.queue("high");
        MessageQueue low = client.queue("low");
        sendMany(low, 10, "low-");
        sendMany(high, 10, "high-");
        List<String> order = new CopyOnWriteArrayList<>();
        MessageHandler record = (m, c) -> order.add(m.queue());
        started(worker("w").concurrency(1).subscribe(high, record).subscribe(low, record));

        Await.until("all handled", () -> order.size() == 20);
        assertThat(order.subList(0, 10)).containsOnly("high");
        assertThat(order.subList(10, 20)).containsOnly("low");
    }

    @Test
    void sharedSlots_lowerPriorityQueueIsServedWhileTheHigherOneIsEmpty() {
        MessageQueue high = client.queue("high");
        MessageQueue low = client.queue("low");
        List<String> order = new CopyOnWriteArrayList<>();
        MessageHandler record = (m, c) -> order.add(m.body());
        started(worker("w").concurrency(1).subscribe(high, record).subscribe(low, record));

        low.send("low-1");
        Await.until("low handled", () -> order.contains("low-1"));
        high.send("high-1");
        Await.until("high handled", () -> order.contains("high-1"));
        low.send("low-2");
        Await.until("low handled again", () -> order.contains("low-2"));
        assertThat(order).containsExactly("low-1", "high-1", "low-2");
    }

    @Test
    void subscriptionWithItsOwnConcurrency_runsBesideTheSharedSlots() throws Exception {
        MessageQueue jobs = client.queue("jobs");
        MessageQueue plain = client.queue("plain");
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger runningJobs = new AtomicInteger();
        AtomicInteger handledPlain = new AtomicInteger();
        started(worker("w").concurrency(2)
                .subscribe(jobs, (m, c) -> {
                    runningJobs.incrementAndGet();
                    assertThat(finish.await(30, TimeUnit.SECONDS)).isTrue();
                })
                .subscribe(plain, (m, c) -> handledPlain.incrementAndGet(),
                        SubscriptionOptions.builder().concurrency(1).build()));
        sendMany(jobs, 5, "job-");
        Await.until("the shared slots are full", () -> runningJobs.get() == 2);

        sendMany(plain, 5, "plain-");

        Await.until("the other queue is served on its own slot", () -> handledPlain.get() == 5);
        assertThat(jobs.stats().inFlight()).isEqualTo(2);
        finish.countDown();
    }

    // ---- FIFO ----

    @Test
    void fifo_runsEachGroupInOrder_evenWithFailures() {
        MessageQueue fifo = client.queue("ordered.fifo");
        int groups = 20;
        int perGroup = 50;
        Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> runningPerGroup = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        RecordingListener events = new RecordingListener();
        started(worker("w").concurrency(8).listener(events).subscribe(fifo, (m, c) -> {
            AtomicInteger running = runningPerGroup.computeIfAbsent(m.groupId(), k -> new AtomicInteger());
            if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                if (Math.floorMod((m.messageId() + "#" + m.receiveCount()).hashCode(), 10) < 3) {
                    throw new IllegalStateException("simulated failure");
                }
                handled.computeIfAbsent(m.groupId(), k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(Integer.parseInt(m.body().substring(m.body().indexOf(':') + 1)));
            } finally {
                running.decrementAndGet();
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

        Await.until("every message handled", Duration.ofSeconds(40), () -> fifo.stats().total() == 0
                && handled.values().stream().mapToInt(List::size).sum() == groups * perGroup);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perGroup; i++) {
            expected.add(i);
        }
        assertThat(handled).hasSize(groups);
        handled.forEach((group, sequence) -> assertThat(sequence).as(group).containsExactlyElementsOf(expected));
        assertThat(overlaps).hasValue(0);
        assertThat(events.failed.get()).isPositive();
        assertThat(client.queue("dlq.fifo").stats().total()).isZero();
    }

    @Test
    void fifo_failure_givesBackTheLaterMessagesOfItsGroupWithoutRunningThem() {
        MessageQueue fifo = client.queue("ordered.fifo");
        List<String> attempts = new CopyOnWriteArrayList<>();
        RecordingListener events = new RecordingListener();
        started(worker("w").listener(events).subscribe(fifo, (m, c) -> {
            attempts.add(m.body() + "#" + c.receiveCount());
            if (m.body().equals("a") && c.receiveCount() == 1) {
                throw new IllegalStateException("a fails once");
            }
        }, SubscriptionOptions.builder().backoff(BackoffPolicy.fixed(Duration.ofSeconds(5))).build()));
        List<OutgoingMessage> batch = new ArrayList<>();
        for (String body : List.of("a", "b", "c")) {
            batch.add(OutgoingMessage.builder(body).groupId("g").deduplicationId(body).build());
        }
        fifo.sendBatch(batch);

        Await.until("a failed and the rest were given back", () -> events.retries.size() == 1 && events.released.get() == 2);
        assertThat(attempts).containsExactly("a#1");
        clock.advance(Duration.ofSeconds(6));

        Await.until("all handled", () -> events.succeeded.get() == 3 && fifo.stats().total() == 0);
        assertThat(attempts).containsExactly("a#1", "a#2", "b#2", "c#2");
    }

    // ---- shutdown ----

    @Test
    void close_withHandlersRunning_losesNothingAndLeavesNothingHiddenThatNeverStarted() throws Exception {
        MessageQueue fifo = client.queue("ordered.fifo");
        MessageQueue jobs = client.queue("jobs");
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch finish = new CountDownLatch(1);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        MessageHandler slow = (m, c) -> {
            started.countDown();
            assertThat(finish.await(30, TimeUnit.SECONDS)).isTrue();
            handled.add(m.messageId());
        };
        RecordingListener events = new RecordingListener();
        Worker w = started(worker("w").concurrency(2).listener(events)
                .subscribe(jobs, slow)
                .subscribe(fifo, slow, SubscriptionOptions.builder().concurrency(10).build()));
        List<String> jobIds = sendMany(jobs, 10, "job-");
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(OutgoingMessage.builder("f" + i).groupId("one-group").deduplicationId("f" + i).build());
        }
        fifo.sendBatch(batch);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Await.until("the FIFO group is held", () -> fifo.stats().inFlight() == 10);

        Thread closer = new Thread(w::close, "closer");
        closer.start();
        // Unstarted messages are given back at once, while the handlers still run.
        Await.until("unstarted messages given back", () -> fifo.stats().visible() == 9 && jobs.stats().visible() == 8);
        assertThat(closer.isAlive()).isTrue();
        finish.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(closer.isAlive()).isFalse();

        assertThat(handled).hasSize(3);
        QueueStats jobStats = jobs.stats();
        QueueStats fifoStats = fifo.stats();
        assertThat(jobStats.inFlight()).isZero();
        assertThat(fifoStats.inFlight()).isZero();
        assertThat(jobStats.visible() + fifoStats.visible()).isEqualTo(17);
        Set<String> remaining = new HashSet<>();
        for (ReceivedMessage m : drain(jobs)) {
            remaining.add(m.messageId());
        }
        Set<String> allJobs = new HashSet<>(remaining);
        allJobs.addAll(handled);
        assertThat(allJobs).containsAll(jobIds);
        assertThat(events.released).hasValue(9); // the FIFO group's; the shared slots held only running jobs
    }

    @Test
    void close_ofAnIdleWorker_doesNotWaitForItsLongPoll_whichGivesBackWhatItReturns() throws Exception {
        MessageQueue jobs = client.queue("jobs");
        RecordingListener events = new RecordingListener();
        Worker w = started(worker("idle").listener(events).pollWaitTime(Duration.ofSeconds(20)).subscribe(jobs, (m, c) -> {}));
        Await.until("the poller is in its 20 s long poll", () -> pollerStates("idle-jobs-poller").contains(Thread.State.TIMED_WAITING));

        long start = System.nanoTime();
        w.close();
        // A behaviour bound, not a benchmark: close() must not wait out the 20 s poll.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        jobs.send("after close");
        Await.until("the receive still in progress took the message and gave it back", () -> events.released.get() == 1);
        assertThat(jobs.stats().visible()).isEqualTo(1);
        assertThat(jobs.stats().inFlight()).isZero();
        assertThat(events.succeeded).hasValue(0);
        Await.until("the poller thread ended", () -> pollerStates("idle-jobs-poller").isEmpty());
    }

    @Test
    void close_receivesStillInProgress_doNotPassAMessageBetweenThem() {
        MessageQueue jobs = client.queue("jobs"); // max receive count 3
        RecordingListener events = new RecordingListener();
        Worker w = started(worker("pp").concurrency(20).listener(events).pollWaitTime(Duration.ofSeconds(2))
                .subscribe(jobs, (m, c) -> {}));
        Await.until("both pollers in their long poll", () -> pollerStates("pp-jobs-poller-1").contains(Thread.State.TIMED_WAITING)
                && pollerStates("pp-jobs-poller-2").contains(Thread.State.TIMED_WAITING));
        w.close();

        jobs.send("after close");
        Await.until("given back once both receives ended", () -> events.released.get() == 1);
        List<ReceivedMessage> got = jobs.receive(ReceiveRequest.of(1, Duration.ZERO));
        // One late receive took it; the other did not get it back from the first (which would count a receive more).
        assertThat(got).singleElement().satisfies(m -> assertThat(m.receiveCount()).isEqualTo(2));
        assertThat(events.received).hasValue(1);
    }

    private static List<Thread.State> pollerStates(String threadName) {
        List<Thread.State> states = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(threadName) && t.isAlive()) {
                states.add(t.getState());
            }
        }
        return states;
    }

    @Test
    void close_twiceOrBeforeStart_isHarmless() {
        Worker never = worker("never").subscribe(client.queue("jobs"), (m, c) -> {}).build();
        never.close();
        never.close();
        assertThatThrownBy(never::start).isInstanceOf(IllegalStateException.class);

        Worker w = started(worker("twice").subscribe(client.queue("jobs"), (m, c) -> {}));
        assertThatThrownBy(w::start).isInstanceOf(IllegalStateException.class);
        w.close();
        w.close();
        assertThat(w.isRunning()).isFalse();
    }

    // ---- threads and executors ----

    @Test
    void handlers_runOnThreadsNamedAfterTheWorkerAndQueue() {
        MessageQueue jobs = client.queue("jobs");
        Set<String> names = ConcurrentHashMap.newKeySet();
        started(worker("billing").subscribe(jobs, (m, c) -> names.add(Thread.currentThread().getName())));
        sendMany(jobs, 5, "job-");
        Await.until("handled", () -> jobs.stats().total() == 0);
        assertThat(names).isNotEmpty().allSatisfy(n -> assertThat(n).startsWith("billing-jobs-"));
    }

    @Test
    void applicationExecutor_runsHandlers_andIsNotShutDownByClose() {
        MessageQueue jobs = client.queue("jobs");
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> new Thread(r, "app-pool"));
        try {
            Set<String> names = ConcurrentHashMap.newKeySet();
            Worker w = started(worker("w").concurrency(4).executor(executor)
                    .subscribe(jobs, (m, c) -> names.add(Thread.currentThread().getName())));
            sendMany(jobs, 10, "job-");
            Await.until("handled", () -> jobs.stats().total() == 0);
            w.close();
            assertThat(names).containsOnly("app-pool");
            assertThat(executor.isShutdown()).isFalse();
        } finally {
            executor.shutdownNow();
        }
    }

    // ---- configuration ----

    @Test
    void builder_rejectsInvalidConfiguration() {
        MessageQueue jobs = client.queue("jobs");
        assertThatThrownBy(() -> Worker.builder().build()).isInstanceOf(ValidationException.class).hasMessageContaining("subscribe");
        assertThatThrownBy(() -> Worker.builder().subscribe(jobs, (m, c) -> {}).subscribe(jobs, (m, c) -> {}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> Worker.builder().concurrency(0)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Worker.builder().pollWaitTime(Duration.ofSeconds(21))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Worker.builder().pollWaitTime(Duration.ofMillis(1500))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Worker.builder().maxDeleteDelay(Duration.ZERO)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Worker.builder().name("has space")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> SubscriptionOptions.builder().concurrency(0).build()).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> SubscriptionOptions.builder().visibilityTimeout(Duration.ZERO).build())
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Worker.builder().heartbeatInterval(Duration.ofSeconds(5))
                .subscribe(client.queue("plain"), (m, c) -> {}).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("heartbeatInterval");
    }

    @Test
    void listener_thatThrows_doesNotStopTheWorker() {
        MessageQueue jobs = client.queue("jobs");
        AtomicInteger handled = new AtomicInteger();
        started(worker("w").listener(new WorkerListener() {
            @Override
            public void onReceived(ReceivedMessage message) {
                throw new IllegalStateException("broken listener");
            }
        }).subscribe(jobs, (m, c) -> handled.incrementAndGet()));
        sendMany(jobs, 3, "job-");
        Await.until("handled", () -> handled.get() == 3 && jobs.stats().total() == 0);
    }

    @Test
    void listener_seesEveryEvent() {
        MessageQueue jobs = client.queue("jobs");
        RecordingListener events = new RecordingListener();
        Map<String, Integer> outcomes = new HashMap<>();
        started(worker("w").listener(events).subscribe(jobs, (m, c) -> {
            if (m.body().equals("fail") && c.receiveCount() == 1) {
                throw new IllegalStateException("once");
            }
        }, SubscriptionOptions.builder().backoff(BackoffPolicy.immediate()).build()));
        jobs.send("ok");
        jobs.send("fail");

        Await.until("both handled", () -> events.succeeded.get() == 2 && events.inFlight.get("jobs") == 0);
        outcomes.put("received", events.received.get());
        outcomes.put("failed", events.failed.get());
        outcomes.put("retried", events.retries.size());
        assertThat(outcomes).containsEntry("received", 3).containsEntry("failed", 1).containsEntry("retried", 1);
        assertThat(events.handlerDurations).hasSize(3).allSatisfy(d -> assertThat(d.isNegative()).isFalse());
        assertThat(events.maxInFlight.get("jobs")).isBetween(1, 2);
    }
}
