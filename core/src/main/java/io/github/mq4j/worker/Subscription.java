package io.github.mq4j.worker;

import io.github.mq4j.BatchResult;
import io.github.mq4j.DeadLetterPolicy;
import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.StaleReceiptException;
import io.github.mq4j.VisibilityChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One queue served by a worker: its poller, its handler runs, and how their outcomes are settled
 * (delete, backoff, dead letter, give back).
 */
final class Subscription {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration FIRST_ERROR_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_ERROR_DELAY = Duration.ofSeconds(30);

    final Worker worker;
    final MessageQueue queue;
    final String name;
    final MessageHandler handler;
    final Duration visibility;
    final BackoffPolicy backoff;
    final boolean fifo;
    final @Nullable DeadLetterPolicy deadLetter;
    final PollGroup group;

    /** Guarded by the group's lock: receives of this subscription in progress (or backing off after an error). */
    int polls;
    /** Guarded by the group's lock: that receive is a parked long poll, or the poller backs off after an error. */
    boolean parkedPoll;

    /** The received batches of which the worker still holds a message. */
    final Set<Held.Batch> batches = ConcurrentHashMap.newKeySet();
    final AtomicInteger inFlight = new AtomicInteger();
    /** Standard queues only: received messages whose handler has not started. */
    private final ConcurrentLinkedQueue<Held> ready = new ConcurrentLinkedQueue<>();
    /** Standard queues only: a runner was handed to the executor and has not started yet. */
    private final AtomicBoolean runnerPending = new AtomicBoolean();
    /**
     * Standard queues only: whether quick handlers may run on the thread of the poller that
     * received them. Only on the worker's own executor (an application's executor is there to run
     * every handler), and only where the queue has pollers to spare: one queue alone in its slots,
     * with two pollers or more, of which one always receives while the others run batches (unless
     * they {@link #takesTurns() take turns}).
     */
    boolean mayRunInline;
    /** Moving average of handler run times; starts slow, so that the first batches go to the executor. */
    private volatile long averageHandlerNanos = INITIAL_AVERAGE_NANOS;
    /** How many pollers run a batch now; at most all but one, so that one always receives. */
    private final AtomicInteger inlineRunning = new AtomicInteger();
    /** The number of pollers of this subscription; set by the worker's start. */
    int pollers = 1;
    /** Messages that receives in progress returned after the worker closed. Guarded by itself. */
    private final List<Held> late = new ArrayList<>();
    /** FIFO only: the group chains the worker is running, by group id. Guarded by itself. */
    private final Map<String, Chain> chains = new HashMap<>();

    // Set by start(), before the poller runs.
    @Nullable Executor executor;
    @Nullable AckBuffer acks;

    /**
     * Handlers quicker than this on average run on the poller's thread, a batch at a time, as a
     * hand-written receive loop would: handing each message to another thread would cost more
     * than the handler.
     */
    static final long INLINE_BELOW_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    // ...and only when deletes are as quick (an in-process backend): a poller that deleted over
    // the network itself would wait for each delete before its next receive, which the handler
    // threads otherwise overlap.
    /**
     * Handlers quicker than this on average, and quick enough to run on pollers, run on one
     * poller at a time ({@link #takesTurns()}): a few microseconds, what the in-memory backend's
     * calls cost a message.
     */
    static final long TURNS_BELOW_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
    private static final long INITIAL_AVERAGE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** (7/8)^n, for the handlers' moving average: what is left after n steps of an eighth (n up to a batch). */
    private static final double[] KEPT_AFTER = new double[Limits.MAX_RECEIVE_MESSAGES + 1];

    static {
        for (int n = 0; n < KEPT_AFTER.length; n++) {
            KEPT_AFTER[n] = Math.pow(7.0 / 8, n);
        }
    }

    /**
     * A batch a poller runs on its own thread: the messages not started yet, and the handled
     * messages whose deletes it keeps until it ends (as a hand-written receive loop would: a
     * delete buffer that every poller shares would be a lock taken once a message).
     */
    static final class InlineRun {
        final Thread poller = Thread.currentThread();
        final Held.Batch batch;
        /** The index of the next message to take; the poller takes them, and the check hands them over. */
        private final AtomicInteger next = new AtomicInteger();
        /** System.nanoTime() when the run began; poller only. */
        final long started = System.nanoTime();
        /** How many handlers the poller ran; poller only. */
        int handlersRun;
        /**
         * Messages settled by this run, counted off together when it ends and their slots freed
         * with the poller's next turn: freeing slots one at a time would wake the other pollers
         * for single slots. Poller only.
         */
        int unreleasedSlots;
        /**
         * Handled messages to delete, in the order handled: the poller appends, and publishes each
         * by counting it in {@link #handledCount}; the ones from {@link #taken} on are not yet
         * taken for deleting (by the poller at the run's end, or by the check while it goes on).
         */
        private final ReceivedMessage[] handled;
        private final AtomicInteger handledCount = new AtomicInteger();
        private final AtomicInteger taken = new AtomicInteger();
        /**
         * Whether the check saw this run before, and how far it had got then, and whether it has
         * handed the rest of the batch over; the check's thread only.
         */
        boolean checkedBefore;
        int progressAtCheck;
        boolean handedOver;

        InlineRun(Held.Batch batch) {
            this.batch = batch;
            this.handled = new ReceivedMessage[batch.messages.length];
        }

        /** How many messages have been taken so far: it grows while the run goes on. */
        int progress() {
            return next.get();
        }

        /** Adds a handled message to delete; poller only. */
        void handled(ReceivedMessage message) {
            int n = handledCount.get();
            handled[n] = message;
            handledCount.lazySet(n + 1); // a release: whoever reads the count sees the message
        }

        /** Takes the handled messages not taken yet, or returns null if there are none. */
        @Nullable List<ReceivedMessage> takeHandled() {
            while (true) {
                int from = taken.get();
                int to = handledCount.get();
                if (from >= to) {
                    return null;
                }
                if (taken.compareAndSet(from, to)) {
                    return Arrays.asList(handled).subList(from, to); // the poller writes only past these
                }
            }
        }

        /** Takes the next message not started (nor finished, given back at shutdown), or returns null. */
        @Nullable Held take() {
            for (int i; (i = next.getAndIncrement()) < batch.messages.length; ) {
                Held h = batch.messages[i];
                if (h != null) {
                    return h;
                }
            }
            return null;
        }
    }

    /** The messages of one FIFO group the worker holds, run one after another. */
    private static final class Chain {
        final String groupId;
        final ArrayDeque<Held> pending = new ArrayDeque<>();

        Chain(String groupId) {
            this.groupId = groupId;
        }
    }

    Subscription(Worker worker, MessageQueue queue, MessageHandler handler, Duration visibility, BackoffPolicy backoff,
            PollGroup group) {
        this.worker = worker;
        this.queue = queue;
        this.name = queue.name();
        this.handler = handler;
        this.visibility = visibility;
        this.backoff = backoff;
        this.fifo = queue.spec().fifo();
        this.deadLetter = queue.spec().deadLetter();
        this.group = group;
    }

    // ---- polling ----

    /** The poller's loop: receive when the group says so, dispatch, until the worker stops. */
    void pollLoop() {
        Duration errorDelay = FIRST_ERROR_DELAY;
        int settledSlots = 0; // of the last inline run, freed as the next turn is awaited
        try {
            while (true) {
                PollGroup.Plan plan = group.awaitTurn(this, settledSlots);
                settledSlots = 0;
                if (plan == null) {
                    return;
                }
                Instant receivedAt = worker.clock.instant();
                List<ReceivedMessage> messages;
                try {
                    messages = queue.receive(new ReceiveRequest(plan.maxMessages(), plan.waitTime(), visibility));
                } catch (RuntimeException e) {
                    group.pollEnded(this, plan, 0, true);
                    if (worker.isStopping()) {
                        group.resume(this);
                        return;
                    }
                    log.warn("{}: receiving from queue '{}' failed; trying again in {} s", worker.name, name,
                            errorDelay.getSeconds(), e);
                    group.endTurn(Thread.currentThread()); // another poller tries meanwhile
                    worker.awaitStop(errorDelay);
                    errorDelay = errorDelay.multipliedBy(2).compareTo(MAX_ERROR_DELAY) > 0
                            ? MAX_ERROR_DELAY : errorDelay.multipliedBy(2);
                    group.resume(this);
                    continue;
                }
                errorDelay = FIRST_ERROR_DELAY;
                Held.Batch inline = dispatch(messages, receivedAt);
                group.pollEnded(this, plan, messages.size(), false);
                if (inline != null) {
                    settledSlots = runInline(inline);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("{}: the poller of queue '{}' stopped on an unexpected error", worker.name, name, e);
            throw e;
        } finally {
            group.endTurn(Thread.currentThread());
            worker.pollerExited();
        }
    }

    /**
     * Hands received messages to their handlers; returns the batch that the calling poller is to
     * run itself (quick handlers), or null.
     */
    private Held.@Nullable Batch dispatch(List<ReceivedMessage> messages, Instant receivedAt) {
        if (messages.isEmpty()) {
            return null;
        }
        Held.Batch batch = new Held.Batch(messages.size());
        for (int i = 0; i < batch.messages.length; i++) {
            batch.messages[i] = new Held(messages.get(i), batch, i, receivedAt, visibility);
        }
        batches.add(batch);
        worker.messagesHeld(batch.messages.length);
        for (ReceivedMessage m : messages) {
            worker.listener.onReceived(m);
        }
        changeInFlight(batch.messages.length);
        if (worker.isStopping()) {
            // A receive that was in progress when the worker closed. Given back now, its messages
            // could be taken by another of this worker's receives still in progress, and again,
            // each time one more receive on their count: give them all back once no receive is left.
            synchronized (late) {
                late.addAll(stillHeld(batch));
            }
            return null;
        }
        if (fifo) {
            dispatchFifo(stillHeld(batch));
        } else if (handlersQuick() && startInlineRun()) {
            return batch;
        } else {
            ready.addAll(stillHeld(batch));
            spawnRunner();
        }
        return null;
    }

    /**
     * The messages of a batch just registered, but for any that a closing worker has given back
     * meanwhile (its place is empty then).
     */
    private static List<Held> stillHeld(Held.Batch batch) {
        List<Held> out = new ArrayList<>(batch.messages.length);
        for (Held h : batch.messages) {
            if (h != null) {
                out.add(h);
            }
        }
        return out;
    }

    /**
     * Whether handlers run on the pollers' threads now: where they may, while handlers and delete
     * batches both take less than {@link #INLINE_BELOW_NANOS}.
     */
    private boolean handlersQuick() {
        return mayRunInline && averageHandlerNanos < INLINE_BELOW_NANOS
                && ackBuffer().typicalDeleteNanos() < INLINE_BELOW_NANOS;
    }

    /**
     * Whether the pollers take turns, one receiving and running batches at a time, as a single
     * hand-written loop would: while handlers are quick enough to run on pollers, and so quick
     * (under {@link #TURNS_BELOW_NANOS}) that the backend's calls are most of the work. Those run
     * in the backend's process (deletes are quick enough only there), where more threads calling
     * at once only contend for it: the in-memory backend does everything under one lock, and on
     * two cores four hand-written loops at once moved a third fewer messages than one alone.
     * Read by the group as a poller takes its turn.
     */
    boolean takesTurns() {
        return handlersQuick() && averageHandlerNanos < TURNS_BELOW_NANOS;
    }

    /** Counts one more inline run, unless all pollers but one are running one already. */
    private boolean startInlineRun() {
        while (true) {
            int running = inlineRunning.get();
            if (running >= pollers - 1) {
                return false;
            }
            if (inlineRunning.compareAndSet(running, running + 1)) {
                worker.inlineRunStarted();
                return true;
            }
        }
    }

    /** Whether a poller runs a batch of this subscription now. */
    boolean runsInline() {
        return inlineRunning.get() > 0;
    }

    /**
     * Runs a batch on the poller's thread, one message after another. If a handler turns out slow,
     * {@link #checkInlineRuns} hands the rest to the executor meanwhile. Whatever a handler
     * throws, no message of the batch is left behind: the rest goes to the executor. Returns the
     * number of messages the run settled, whose slots the caller frees; if it throws, it frees
     * them itself.
     */
    private int runInline(Held.Batch batch) {
        InlineRun run = new InlineRun(batch);
        batch.inlineRun = run;
        boolean returning = false;
        try {
            for (Held h; (h = run.take()) != null; ) {
                if (worker.isStopping()) {
                    giveBack(List.of(h));
                    continue;
                }
                try {
                    process(h, run);
                } finally {
                    // an interrupt meant for the handler (at the shutdown timeout, or the
                    // application's) must not reach the poller's next receive or wait
                    Thread.interrupted();
                }
            }
            returning = true;
        } catch (VirtualMachineError e) {
            // thrown by a handler (its message is settled): on a handler thread it would end that
            // thread, which the executor replaces; a poller has no replacement, so it goes on
            handOver(run);
            log.error("{}: a handler of queue '{}' running on the poller's thread threw; the poller goes on", worker.name,
                    name, e);
            returning = true;
        } catch (RuntimeException | Error e) {
            handOver(run);
            throw e;
        } finally {
            batch.inlineRun = null;
            inlineRunning.decrementAndGet();
            if (run.handlersRun > 0) {
                // the run's time, settling included: one clock reading for the run, not two a handler
                recordHandlerNanos(System.nanoTime() - run.started, run.handlersRun);
            }
            // before the messages are counted off, so that a closing worker waits for these deletes
            ackBuffer().sendNow(run::takeHandled);
            if (run.unreleasedSlots > 0) {
                finished(batch, run.unreleasedSlots);
                if (!returning) {
                    group.release(run.unreleasedSlots);
                }
            }
        }
        return run.unreleasedSlots;
    }

    /** Moves the messages of an inline run that have not started to the executor's runners. */
    private void handOver(InlineRun run) {
        boolean any = false;
        for (Held h; (h = run.take()) != null; ) {
            ready.add(h);
            any = true;
        }
        if (any) {
            spawnRunner();
        }
    }

    /**
     * Interrupts the handlers running on pollers' threads, as the executor's are at the shutdown
     * timeout. (A poller between two handlers may be interrupted too: it clears its interrupt
     * after each handler; the in-memory backend, the only one quick enough for pollers to run
     * handlers, ignores an interrupt in the deletes that end a run.)
     */
    void interruptInlineRuns() {
        for (Held.Batch batch : batches) {
            InlineRun run = batch.inlineRun;
            if (run != null) {
                run.poller.interrupt();
            }
        }
    }

    /**
     * Sends the deletes of what the batches on pollers have handled so far; for a closing worker,
     * whose handlers on pollers may outlast it.
     */
    void sendInlineRunDeletes() {
        for (Held.Batch batch : batches) {
            InlineRun run = batch.inlineRun;
            if (run != null) {
                ackBuffer().sendNow(run::takeHandled);
            }
        }
    }

    /**
     * Checks the batches that pollers run, every {@link Worker#inlineCheckInterval}; called by
     * the worker's scheduler. A run seen at the previous check sends the deletes of what it has
     * handled, so that none waits longer than the worker's {@code maxDeleteDelay} for a run that
     * goes on; one that has not begun another message since then hands the rest of its batch to
     * the executor, and the next batches go there too.
     */
    void checkInlineRuns() {
        for (Held.Batch batch : batches) {
            InlineRun run = batch.inlineRun;
            if (run == null) {
                continue;
            }
            int progress = run.progress();
            if (run.checkedBefore) {
                ackBuffer().sendNow(run::takeHandled);
                if (progress == run.progressAtCheck && !run.handedOver) {
                    run.handedOver = true;
                    // handlers are not that quick after all: the next batches go to the executor,
                    // and if the pollers were taking turns, the others take theirs at once
                    averageHandlerNanos = Math.max(averageHandlerNanos, INITIAL_AVERAGE_NANOS);
                    handOver(run);
                    group.endTurn(run.poller);
                }
            }
            run.checkedBefore = true;
            run.progressAtCheck = progress;
        }
    }

    /**
     * Standard queues: starts a runner unless one is already waiting to start. A runner takes ready
     * messages one after another and, while more are ready, starts one more runner; so quick handlers
     * drain a batch on few threads (few thread hand-offs), while slow ones soon run in parallel on
     * as many threads as there are messages.
     */
    private void spawnRunner() {
        if (runnerPending.compareAndSet(false, true)) {
            try {
                executor().execute(this::runReady);
            } catch (RejectedExecutionException e) {
                runnerPending.set(false);
                List<Held> rest = new ArrayList<>();
                for (Held h; (h = ready.poll()) != null; ) {
                    rest.add(h);
                }
                log.error("{}: the executor rejected a handler run for queue '{}'; giving {} messages back",
                        worker.name, name, rest.size(), e);
                giveBack(rest);
            }
        }
    }

    private void runReady() {
        runnerPending.set(false);
        for (Held h; (h = ready.poll()) != null; ) {
            if (!ready.isEmpty()) {
                spawnRunner();
            }
            if (worker.isStopping()) {
                giveBack(List.of(h));
            } else {
                process(h);
            }
        }
    }

    private Executor executor() {
        Executor e = executor;
        if (e == null) {
            throw new IllegalStateException("worker not started");
        }
        return e;
    }

    // ---- FIFO groups ----

    private void dispatchFifo(List<Held> batch) {
        List<Chain> started = new ArrayList<>();
        synchronized (chains) {
            for (Held h : batch) {
                String groupId = h.message.groupId() != null ? h.message.groupId() : "";
                Chain c = chains.get(groupId);
                if (c == null) {
                    c = new Chain(groupId);
                    chains.put(groupId, c);
                    started.add(c);
                }
                c.pending.add(h);
            }
        }
        for (Chain c : started) {
            try {
                executor().execute(() -> runChain(c));
            } catch (RejectedExecutionException e) {
                log.error("{}: the executor rejected a handler run for queue '{}'; giving group {} back",
                        worker.name, name, c.groupId, e);
                giveBack(drain(c));
            }
        }
    }

    private void runChain(Chain c) {
        while (true) {
            Held h;
            synchronized (chains) {
                h = c.pending.poll();
                if (h == null) {
                    chains.remove(c.groupId);
                    return;
                }
            }
            if (worker.isStopping()) {
                List<Held> rest = new ArrayList<>();
                rest.add(h);
                rest.addAll(drain(c));
                giveBack(rest);
                return;
            }
            if (!process(h)) {
                // The message is back in the queue: running the later ones of its group would break the order.
                giveBack(drain(c));
                return;
            }
        }
    }

    private List<Held> drain(Chain c) {
        synchronized (chains) {
            List<Held> rest = new ArrayList<>(c.pending);
            c.pending.clear();
            chains.remove(c.groupId, c);
            return rest;
        }
    }

    // ---- running and settling ----

    /**
     * Runs the handler and settles the message. Returns whether the message is done with (deleted
     * or moved to the dead-letter queue), so that a FIFO group may go on.
     */
    private boolean process(Held h) {
        return process(h, null);
    }

    /**
     * As {@link #process(Held)}; within an inline run, the message's slot is freed and its delete
     * sent when the run ends, and the handler is timed only if a listener wants its duration.
     */
    private boolean process(Held h, @Nullable InlineRun run) {
        if (!h.start()) {
            return false;
        }
        ReceivedMessage m = h.message;
        DefaultMessageContext context = new DefaultMessageContext(this, h);
        boolean timed = run == null || worker.listensToDurations;
        long t0 = timed ? System.nanoTime() : 0;
        Throwable error = null;
        try {
            handler.handle(m, context);
        } catch (Throwable t) {
            error = t;
        }
        context.handlerReturned();
        long nanos = timed ? System.nanoTime() - t0 : 0;
        if (run != null) {
            run.handlersRun++;
        } else {
            recordHandlerNanos(nanos, 1);
        }
        Duration took = Duration.ofNanos(nanos); // zero if not timed: then no listener reads it
        if (!h.settle()) {
            // only messages not started are given back, so nobody else settles a started one
            log.error("{}: message {} on queue '{}' was settled while its handler ran; its outcome is dropped",
                    worker.name, m.messageId(), name);
            if (error instanceof VirtualMachineError vme) {
                throw vme;
            }
            return false;
        }
        boolean done;
        List<ReceivedMessage> deletes = null;
        PoisonMessageException poison = error instanceof PoisonMessageException p ? p
                : context.rejection() != null ? new PoisonMessageException(context.rejection(), error) : null;
        if (error == null && poison == null) {
            if (run != null) {
                run.handled(m);
            } else {
                deletes = ackBuffer().offer(m);
            }
            worker.listener.onSucceeded(m, took);
            done = true;
        } else if (poison != null) {
            worker.listener.onFailed(m, poison, took);
            done = reject(h, poison);
        } else {
            worker.listener.onFailed(m, error, took);
            retry(h, error, "");
            done = false;
        }
        finish(h, run);
        if (deletes != null) {
            ackBuffer().send(deletes); // after the slot is free, so that the next receive need not wait for it
        }
        if (error instanceof VirtualMachineError vme) {
            throw vme;
        }
        return done;
    }

    /**
     * Moves the handlers' moving average (each run weighs an eighth) towards {@code count} runs
     * that took {@code totalNanos} together. An inline run records its handlers once at its end:
     * a write per handler to a field that every poller reads would cost the pollers more than a
     * quick handler.
     */
    private void recordHandlerNanos(long totalNanos, int count) {
        long mean = totalNanos / count;
        long average = averageHandlerNanos; // racy, as an estimate may be
        // count steps of an eighth each leave (7/8)^count of the distance to the mean
        double left = count < KEPT_AFTER.length ? KEPT_AFTER[count] : 0;
        averageHandlerNanos = mean + (long) ((average - mean) * left);
    }

    private AckBuffer ackBuffer() {
        AckBuffer a = acks;
        if (a == null) {
            throw new IllegalStateException("worker not started");
        }
        return a;
    }

    private boolean reject(Held h, PoisonMessageException poison) {
        ReceivedMessage m = h.message;
        if (deadLetter == null) {
            retry(h, poison, " and was rejected as poison, but the queue has no dead-letter queue");
            return false;
        }
        try {
            queue.moveToDeadLetter(m);
        } catch (StaleReceiptException e) {
            log.warn("{}: message {} on queue '{}' (receive {}) was rejected as poison ({}), but it could not be moved"
                    + " to dead-letter queue '{}': it was lost to another consumer", worker.name, m.messageId(), name,
                    m.receiveCount(), poison.getMessage(), deadLetter.targetQueue());
            return false;
        } catch (RuntimeException e) {
            retry(h, poison, " and was rejected as poison, but moving it to dead-letter queue '"
                    + deadLetter.targetQueue() + "' failed (" + e + ")");
            return false;
        }
        log.warn("{}: message {} on queue '{}' (receive {}) was rejected as poison and moved to dead-letter queue '{}': {}",
                worker.name, m.messageId(), name, m.receiveCount(), deadLetter.targetQueue(), poison.getMessage());
        worker.listener.onDeadLettered(m, DeadLetterReason.REJECTED);
        return true;
    }

    /** Leaves a failed message for redelivery after its backoff, or for the dead-letter rule. Logs the failure. */
    private void retry(Held h, Throwable error, String note) {
        ReceivedMessage m = h.message;
        int count = m.receiveCount();
        if (deadLetter != null && count >= deadLetter.maxReceiveCount()) {
            log.warn("{}: handler failed for message {} on queue '{}' (receive {} of {}){}; it goes to dead-letter queue '{}'",
                    worker.name, m.messageId(), name, count, deadLetter.maxReceiveCount(), note,
                    deadLetter.targetQueue(), error);
            changeVisibilityAfterFailure(m, Duration.ZERO);
            worker.listener.onDeadLettered(m, DeadLetterReason.MAX_RECEIVES);
        } else {
            Duration delay = backoff.delayFor(count);
            log.warn("{}: handler failed for message {} on queue '{}' (receive {}{}){}; retrying in {} s",
                    worker.name, m.messageId(), name, count,
                    deadLetter == null ? "" : " of " + deadLetter.maxReceiveCount(), note, delay.getSeconds(), error);
            changeVisibilityAfterFailure(m, delay);
            worker.listener.onRetried(m, delay);
        }
    }

    private void changeVisibilityAfterFailure(ReceivedMessage m, Duration timeout) {
        try {
            queue.changeVisibility(m.receipt(), timeout);
        } catch (StaleReceiptException e) {
            log.debug("{}: message {} on queue '{}' was visible again already", worker.name, m.messageId(), name);
        } catch (RuntimeException e) {
            log.warn("{}: could not set the visibility of failed message {} on queue '{}' to {} s; it is delivered"
                    + " again when its visibility timeout ends", worker.name, m.messageId(), name, timeout.getSeconds(), e);
        }
    }

    /** Gives messages back (visible at once) without running them; skips those already settled. */
    void giveBack(List<Held> messages) {
        List<Held> mine = new ArrayList<>(messages.size());
        for (Held h : messages) {
            if (h.settle()) {
                mine.add(h);
            }
        }
        releaseSettled(mine);
    }

    /** Gives back messages this caller has just settled. */
    void releaseSettled(List<Held> messages) {
        for (int from = 0; from < messages.size(); from += Limits.MAX_RECEIVE_MESSAGES) {
            List<Held> chunk = messages.subList(from, Math.min(messages.size(), from + Limits.MAX_RECEIVE_MESSAGES));
            List<VisibilityChange> changes = new ArrayList<>(chunk.size());
            for (Held h : chunk) {
                changes.add(new VisibilityChange(h.message.receipt(), Duration.ZERO));
            }
            try {
                BatchResult<String> result = queue.changeVisibilityBatch(changes);
                for (BatchResult.Failure<String> f : result.failed()) {
                    if (!(f.error() instanceof StaleReceiptException)) {
                        log.warn("{}: could not give back message {} on queue '{}'; it is delivered again when its"
                                + " visibility timeout ends: {}", worker.name, chunk.get(f.index()).message.messageId(),
                                name, f.error().toString());
                    }
                }
            } catch (RuntimeException e) {
                log.warn("{}: could not give back {} messages on queue '{}'; they are delivered again when their"
                        + " visibility timeout ends", worker.name, chunk.size(), name, e);
            }
            for (Held h : chunk) {
                worker.listener.onReleased(h.message);
                finish(h);
            }
        }
    }

    /**
     * Forgets a settled message and frees its slot. When the subscription then holds no message,
     * no handled message can join the pending deletes before a new receive: they go out now rather
     * than after the delete delay.
     */
    private void finish(Held h) {
        finish(h, null);
    }

    private void finish(Held h, @Nullable InlineRun run) {
        h.batch.messages[h.index] = null; // no longer held: the heartbeat and the shutdown pass it by
        if (run != null) {
            run.unreleasedSlots++; // counted off when the run ends
            return;
        }
        finished(h.batch, 1);
        group.release(1);
    }

    /**
     * Counts off {@code n} settled messages of {@code batch}; when none is held any more, sends the
     * pending deletes.
     */
    private void finished(Held.Batch batch, int n) {
        if (batch.countOff(n)) {
            batches.remove(batch);
        }
        int left = changeInFlight(-n);
        if (left == 0) {
            List<ReceivedMessage> deletes = ackBuffer().takePending();
            if (deletes != null) {
                ackBuffer().send(deletes);
            }
        }
        worker.messageFinished(n);
    }

    /** Changes the count of held messages, reports it and returns it; serialized so that reports arrive in order. */
    private int changeInFlight(int delta) {
        synchronized (inFlight) {
            int now = inFlight.addAndGet(delta);
            worker.listener.onInFlightChanged(name, now);
            return now;
        }
    }

    /** Gives back the messages that receives returned after the worker closed; once no receive is left. */
    void giveBackLate() {
        List<Held> now;
        synchronized (late) {
            now = new ArrayList<>(late);
            late.clear();
        }
        if (!now.isEmpty()) {
            giveBack(now);
        }
    }

    /** Settles and returns the held messages whose handler has not started. */
    List<Held> takeUnstarted() {
        List<Held> out = new ArrayList<>();
        for (Held.Batch batch : batches) {
            for (Held h : batch.messages) {
                if (h != null && h.settleIfUnstarted()) {
                    out.add(h);
                }
            }
        }
        return out;
    }
}
