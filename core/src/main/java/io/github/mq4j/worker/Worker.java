package io.github.mq4j.worker;

import io.github.mq4j.BatchResult;
import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.StaleReceiptException;
import io.github.mq4j.ValidationException;
import io.github.mq4j.VisibilityChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link MessageHandler}s on the messages of one or more queues: receives (long polling),
 * runs each message's handler, deletes the message when the handler returns, retries it after a
 * {@link BackoffPolicy backoff} when the handler throws, and keeps a running handler's message
 * hidden. Build one with {@link #builder()}, then {@link #start()} and, when the application
 * stops, {@link #close()}.
 *
 * <pre>{@code
 * QueueClient queues = QueueFactory.fromEnv();
 * Worker worker = Worker.builder()
 *         .name("app")
 *         .concurrency(8)                                            // slots shared by the next two
 *         .subscribe(queues.queue("webhooks"), webhookHandler)       // served first
 *         .subscribe(queues.queue("async-jobs"), jobHandler)
 *         .subscribe(queues.queue("async-jobs.fifo"), orderedJobHandler,
 *                 SubscriptionOptions.builder().concurrency(4).build())   // 4 slots of its own
 *         .build();
 * worker.start();
 *
 * // Stopping on SIGTERM is the application's choice; a JVM shutdown hook does it:
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> {
 *     worker.close();    // stop receiving, let running handlers finish, flush deletes
 *     queues.close();    // then the client
 * }, "app-shutdown"));
 * }</pre>
 *
 * <h2>Slots and priority</h2>
 * Every message the worker holds, running or waiting to run, takes a slot; a receive asks for no
 * more messages than there are free slots, so the worker never holds a message it has no handler
 * slot for. Queues subscribed without a {@link SubscriptionOptions#concurrency() concurrency} of
 * their own share the worker's {@link Builder#concurrency(int) slots} and are served in the order
 * they were subscribed: a worker on {@code webhooks, async-jobs} receives from {@code async-jobs}
 * only while {@code webhooks} has nothing (as a Celery worker on {@code -Q high,celery}).
 *
 * <h2>Outcomes</h2>
 * <ul>
 * <li>The handler returns: the message is deleted. Deletes are batched, none waits longer than
 *     {@link Builder#maxDeleteDelay(Duration)}.
 * <li>The handler throws: the message stays hidden for the subscription's backoff, then is
 *     delivered again. On its queue's last allowed receive (the dead-letter policy's max receive
 *     count) it is made visible at once instead, and the backend moves it to the dead-letter queue
 *     on its next receive. Every failure is logged once, with queue, message id and receive count.
 * <li>The handler rejects the message as poison ({@link MessageContext#rejectAsPoison(String)} or
 *     {@link PoisonMessageException}): the message is moved to the dead-letter queue at once.
 * </ul>
 *
 * <h2>Visibility heartbeat</h2>
 * When half of a held message's visibility timeout has passed, the worker extends it by the
 * subscription's visibility timeout, again and again, up to 12 hours after it received the
 * message (the longest visibility the contract allows); then the message becomes visible again.
 * If an extension finds that the message was received by someone else meanwhile, the loss is logged.
 *
 * <h2>FIFO queues</h2>
 * Messages of one group run one after another, in order; different groups run in parallel. When
 * a message's handler fails, the later messages of its group that the worker holds are not run
 * but given back, so that the order is kept. Giving back counts as a receive: on a queue with a
 * dead-letter policy, a message given back that often goes to the dead-letter queue without
 * having run, so give FIFO queues a max receive count well above the retries you expect.
 *
 * <h2>Shutdown</h2>
 * {@link #close()} stops receiving at once, gives back the messages it holds whose handler has not
 * started, waits up to {@link Builder#shutdownTimeout(Duration)} for running handlers, and sends
 * the pending deletes. It does not wait for receives in progress (a long poll may take up to the
 * {@link Builder#pollWaitTime(Duration) poll wait time}): such a receive ends by itself, and the
 * messages it returns are given back (visibility 0) once the last of them has ended, so that
 * the worker's other receives still in progress do not take them again (each give-back counts as
 * a receive on a queue with a dead-letter policy). Close the worker before the {@link io.github.mq4j.QueueClient} it
 * uses; closing the client ends those receives soon (memory, PostgreSQL) or makes them fail, in
 * which case what they took is delivered again when its visibility timeout ends.
 *
 * <h2>Threads</h2>
 * Each queue has a poller thread named {@code <worker>-<queue>-poller}, or, when it has its slots
 * to itself, one per 10 slots ({@code <worker>-<queue>-poller-<n>}), so that several receives run
 * at once; handlers run on threads
 * named {@code <worker>-<queue>-<n>}, or on the application's {@link Builder#executor(Executor)
 * executor}, which the worker never shuts down; a scheduler thread {@code <worker>-scheduler} does
 * heartbeats, timed deletes and the check of batches that pollers run. Poller and handler
 * threads are not daemons.
 *
 * <p>Thread-safe.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    /** The shared slots of a worker that names none: 10. */
    public static final int DEFAULT_CONCURRENCY = 10;
    /** How long a receive waits for messages unless set: 20 s, the longest long poll. */
    public static final Duration DEFAULT_POLL_WAIT_TIME = Duration.ofSeconds(20);
    /** The longest a delete waits to be batched with others unless set: 50 ms. */
    public static final Duration DEFAULT_MAX_DELETE_DELAY = Duration.ofMillis(50);
    /** How long {@link #close()} waits for running handlers unless set: 30 s. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** How often the worker checks which messages need a visibility extension, at most: 1 s. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    private static final Duration INLINE_CHECK_INTERVAL = Duration.ofMillis(5);

    private enum State { NEW, RUNNING, CLOSING, CLOSED }

    final String name;
    final Clock clock;
    final WorkerListener listener;
    /**
     * Whether the application's listener may want handler durations: otherwise handlers on
     * pollers are not timed one by one.
     */
    final boolean listensToDurations;
    private final List<PollGroup> groups;
    private final List<Subscription> subscriptions;
    private final Duration maxDeleteDelay;
    /**
     * How often the batches that pollers run are checked while there are any
     * ({@link Subscription#checkInlineRuns()}): every 5 ms, or half the {@code maxDeleteDelay} if
     * that is less, so that a run's deletes, sent at the second check that sees it, wait no
     * longer than that delay. A handler that has run for one to two of these is taken as stalled.
     */
    final Duration inlineCheckInterval;
    private final Duration shutdownTimeout;
    private final Duration heartbeatInterval;
    private final @Nullable Executor applicationExecutor;

    private final Object lifecycle = new Object();
    private State state = State.NEW; // guarded by lifecycle
    private volatile boolean stopping;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicInteger heldTotal = new AtomicInteger();
    private final AtomicInteger livePollers = new AtomicInteger();
    private final ReentrantLock quietLock = new ReentrantLock();
    private final Condition quiet = quietLock.newCondition();
    private @Nullable ScheduledThreadPoolExecutor scheduler;
    /** Whether the check of batches on pollers is scheduled (see {@link #inlineRunStarted()}). */
    private final AtomicBoolean inlineCheckScheduled = new AtomicBoolean();
    private final List<ThreadPoolExecutor> ownExecutors = new ArrayList<>();

    private Worker(Builder b) {
        this.name = b.name;
        this.clock = b.clock;
        this.listener = new SafeListener(b.name, b.listener);
        this.listensToDurations = b.listener != WorkerListener.NONE;
        this.maxDeleteDelay = b.maxDeleteDelay;
        Duration halfDelay = b.maxDeleteDelay.dividedBy(2);
        this.inlineCheckInterval = halfDelay.compareTo(INLINE_CHECK_INTERVAL) < 0 ? halfDelay : INLINE_CHECK_INTERVAL;
        this.shutdownTimeout = b.shutdownTimeout;
        this.applicationExecutor = b.executor;

        PollGroup shared = new PollGroup(name, b.concurrency, b.pollWaitTime);
        List<Subscription> sharedSubs = new ArrayList<>();
        List<PollGroup> allGroups = new ArrayList<>();
        List<Subscription> all = new ArrayList<>();
        Duration shortestVisibility = Limits.MAX_VISIBILITY_TIMEOUT;
        for (Builder.Entry e : b.entries.values()) {
            Duration visibility = e.options.visibilityTimeout() != null
                    ? e.options.visibilityTimeout() : e.queue.spec().visibilityTimeout();
            if (visibility.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new ValidationException("visibilityTimeout", e.queue.name(), "queue '" + e.queue.name()
                        + "' has a visibility timeout of 0; subscribe it with SubscriptionOptions.visibilityTimeout of at least 1 s");
            }
            if (visibility.compareTo(shortestVisibility) < 0) {
                shortestVisibility = visibility;
            }
            Subscription s;
            if (e.options.concurrency() != null) {
                PollGroup own = new PollGroup(name + "-" + e.queue.name(), e.options.concurrency(), b.pollWaitTime);
                s = new Subscription(this, e.queue, e.handler, visibility, e.options.backoff(), own);
                own.setSubscriptions(List.of(s));
                allGroups.add(own);
            } else {
                s = new Subscription(this, e.queue, e.handler, visibility, e.options.backoff(), shared);
                sharedSubs.add(s);
            }
            all.add(s);
        }
        if (!sharedSubs.isEmpty()) {
            shared.setSubscriptions(sharedSubs);
            allGroups.add(0, shared);
        }
        this.groups = List.copyOf(allGroups);
        this.subscriptions = List.copyOf(all);
        if (b.heartbeatInterval != null) {
            if (b.heartbeatInterval.multipliedBy(2).compareTo(shortestVisibility) >= 0) {
                throw new ValidationException("heartbeatInterval", "heartbeatInterval is " + b.heartbeatInterval
                        + "; it must be less than half the shortest visibility timeout of the worker's queues ("
                        + shortestVisibility + ")");
            }
            this.heartbeatInterval = b.heartbeatInterval;
        } else {
            Duration quarter = shortestVisibility.dividedBy(4);
            this.heartbeatInterval = quarter.compareTo(DEFAULT_HEARTBEAT_INTERVAL) < 0 ? quarter : DEFAULT_HEARTBEAT_INTERVAL;
        }
    }

    /** A builder for a worker. */
    public static Builder builder() {
        return new Builder();
    }

    /** The worker's name, which starts its thread names and log lines. */
    public String name() {
        return name;
    }

    /** The names of the queues the worker serves, in priority order of subscription. */
    public List<String> queueNames() {
        List<String> names = new ArrayList<>(subscriptions.size());
        for (Subscription s : subscriptions) {
            names.add(s.name);
        }
        return List.copyOf(names);
    }

    /** Whether the worker has been started and {@link #close()} has not yet been called. */
    public boolean isRunning() {
        synchronized (lifecycle) {
            return state == State.RUNNING;
        }
    }

    /** The number of messages the worker holds now, running or waiting to run, over all its queues. */
    public int inFlight() {
        return heldTotal.get();
    }

    /**
     * Starts receiving and running handlers.
     *
     * @throws IllegalStateException if the worker was started or closed before
     */
    public void start() {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("worker '" + name + "' was "
                        + (state == State.RUNNING ? "started already" : "closed") + "; a worker starts once");
            }
            ScheduledThreadPoolExecutor sched = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory(name + "-scheduler", true));
            sched.setRemoveOnCancelPolicy(true);
            this.scheduler = sched;
            for (Subscription s : subscriptions) {
                if (applicationExecutor != null) {
                    s.executor = applicationExecutor;
                } else {
                    s.mayRunInline = !s.fifo && s.group.subscriptions().size() == 1
                            && s.group.capacity >= 2 * Limits.MAX_RECEIVE_MESSAGES;
                    int threads = s.group.capacity;
                    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(), new NamedThreadFactory(name + "-" + s.name, false));
                    pool.allowCoreThreadTimeOut(true);
                    ownExecutors.add(pool);
                    s.executor = pool;
                }
                s.acks = new AckBuffer(name, s.queue, maxDeleteDelay, sched);
            }
            sched.scheduleWithFixedDelay(this::heartbeat, heartbeatInterval.toNanos(), heartbeatInterval.toNanos(),
                    TimeUnit.NANOSECONDS);
            for (Subscription s : subscriptions) {
                int pollers = s.group.subscriptions().size() == 1 ? (s.group.capacity + Limits.MAX_RECEIVE_MESSAGES - 1)
                        / Limits.MAX_RECEIVE_MESSAGES : 1;
                s.pollers = pollers;
                for (int i = 1; i <= pollers; i++) {
                    livePollers.incrementAndGet();
                    Thread poller = new Thread(s::pollLoop, name + "-" + s.name + "-poller" + (pollers == 1 ? "" : "-" + i));
                    poller.start();
                }
            }
            state = State.RUNNING;
            log.info("{}: started on queues {}", name, queueNames());
        }
    }

    /**
     * Stops the worker: stops receiving at once, gives back (makes visible) the messages it holds
     * whose handler has not started; waits up to the {@link Builder#shutdownTimeout(Duration)
     * shutdown timeout} for running handlers; sends pending deletes; then stops its own threads.
     * Handlers still running after the timeout are interrupted if they run on the worker's own
     * threads; their messages become visible again when their visibility timeout ends.
     *
     * <p>It neither interrupts nor waits for receives in progress (an interrupted SQS receive can
     * lose the messages it took until their visibility timeout ends, and a long poll may last the
     * {@link Builder#pollWaitTime(Duration) poll wait time}), so closing an idle worker is prompt.
     * Such a receive ends by itself; what the worker's late receives return is given back
     * (visibility 0) when the last of them has ended, and their poller threads exit. Do not call it from a handler: it would wait for that handler until the shutdown
     * timeout.
     *
     * <p>Harmless when called again, or before {@link #start()}. Never closes the application's
     * executor or the queue client.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (state == State.NEW) {
                state = State.CLOSED;
                return;
            }
            if (state != State.RUNNING) {
                return;
            }
            state = State.CLOSING;
        }
        log.info("{}: stopping; {} messages held", name, heldTotal.get());
        stopping = true;
        stopSignal.countDown();
        for (PollGroup g : groups) {
            g.stop();
        }
        for (Subscription s : subscriptions) {
            List<Held> unstarted = s.takeUnstarted();
            if (!unstarted.isEmpty()) {
                s.releaseSettled(unstarted);
            }
        }
        boolean quietInTime = awaitQuiet(shutdownTimeout);
        if (!quietInTime) {
            log.warn("{}: {} handlers still running after the shutdown timeout of {} s; their messages are"
                    + " delivered again when their visibility timeout ends", name, heldTotal.get(), shutdownTimeout.toSeconds());
            for (ThreadPoolExecutor pool : ownExecutors) {
                pool.shutdownNow();
            }
            subscriptions.forEach(Subscription::interruptInlineRuns);
        }
        for (Subscription s : subscriptions) {
            AckBuffer acks = s.acks;
            if (acks != null) {
                s.sendInlineRunDeletes(); // a handler on a poller still running: what its batch handled before it
                acks.close(Duration.ofSeconds(10));
            }
        }
        ScheduledThreadPoolExecutor sched = scheduler;
        if (sched != null) {
            sched.shutdownNow();
        }
        for (ThreadPoolExecutor pool : ownExecutors) {
            pool.shutdown();
        }
        synchronized (lifecycle) {
            state = State.CLOSED;
        }
        int polling = livePollers.get();
        if (polling > 0) {
            log.info("{}: stopped; {} pollers still ending (a receive in progress gives back what it returns)", name, polling);
        } else {
            log.info("{}: stopped", name);
        }
    }

    private boolean awaitQuiet(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        quietLock.lock();
        try {
            while (heldTotal.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                quiet.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            quietLock.unlock();
        }
    }

    private void signalIfQuiet() {
        if (stopping && heldTotal.get() == 0) {
            quietLock.lock();
            try {
                quiet.signalAll();
            } finally {
                quietLock.unlock();
            }
        }
    }

    boolean isStopping() {
        return stopping;
    }

    /** Waits {@code delay}, or less if the worker stops meanwhile. */
    void awaitStop(Duration delay) {
        try {
            stopSignal.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The subscriptions, in the order subscribed; for tests. */
    List<Subscription> subscriptions() {
        return subscriptions;
    }

    void messagesHeld(int n) {
        heldTotal.addAndGet(n);
    }

    void messageFinished(int n) {
        heldTotal.addAndGet(-n);
        signalIfQuiet();
    }

    void pollerExited() {
        if (livePollers.decrementAndGet() == 0) {
            for (Subscription s : subscriptions) {
                s.giveBackLate(); // no receive of this worker is left to take them again
            }
        }
    }

    // ---- visibility heartbeat ----

    /**
     * A poller starts running a batch itself: makes sure the check of batches on pollers runs.
     * It runs every {@link #inlineCheckInterval} only while some poller runs a batch, so that an
     * idle worker is not woken 200 times a second.
     */
    void inlineRunStarted() {
        // read first: a compare-and-set that fails still takes the field's cache line from the other pollers
        if (!inlineCheckScheduled.get() && inlineCheckScheduled.compareAndSet(false, true)) {
            scheduleInlineCheck();
        }
    }

    private void scheduleInlineCheck() {
        ScheduledThreadPoolExecutor sched = scheduler;
        try {
            if (sched == null) {
                throw new RejectedExecutionException("worker not started");
            }
            sched.schedule(this::checkInlineRuns, inlineCheckInterval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            inlineCheckScheduled.set(false); // closing: the runs end with it
        }
    }

    private void checkInlineRuns() {
        try {
            subscriptions.forEach(Subscription::checkInlineRuns);
        } catch (RuntimeException e) {
            log.error("{}: the check of batches on pollers failed", name, e);
        } finally {
            inlineCheckScheduled.set(false);
            // a run that started after the check saw none either scheduled it already or is seen here
            if (subscriptions.stream().anyMatch(Subscription::runsInline) && inlineCheckScheduled.compareAndSet(false, true)) {
                scheduleInlineCheck();
            }
        }
    }

    private void heartbeat() {
        try {
            Instant now = clock.instant();
            for (Subscription s : subscriptions) {
                heartbeat(s, now);
            }
        } catch (RuntimeException e) {
            log.warn("{}: visibility heartbeat failed", name, e);
        }
    }

    private void heartbeat(Subscription s, Instant now) {
        List<Held> due = new ArrayList<>();
        List<Duration> steps = new ArrayList<>();
        try {
            for (Held.Batch batch : s.batches) {
                for (Held h : batch.messages) {
                    if (h == null || !h.tryBeginExtension()) {
                        continue;
                    }
                    boolean keep = false;
                    try {
                        if (h.heartbeatStopped || now.isBefore(h.lastExtendedAt.plus(h.visibility.dividedBy(2)))) {
                            continue;
                        }
                        Duration left = Duration.between(now, h.receivedAt.plus(Limits.MAX_VISIBILITY_TIMEOUT))
                                .truncatedTo(ChronoUnit.SECONDS);
                        Duration step = h.visibility.compareTo(left) <= 0 ? h.visibility : left;
                        if (step.compareTo(Duration.ofSeconds(1)) < 0) {
                            h.heartbeatStopped = true;
                            log.warn("{}: message {} on queue '{}' has been held for {} h, the longest a visibility"
                                    + " timeout allows; it is delivered again when its visibility timeout ends although"
                                    + " its handler still runs", name, h.message.messageId(), s.name,
                                    Limits.MAX_VISIBILITY_TIMEOUT.toHours());
                            continue;
                        }
                        due.add(h);
                        steps.add(step);
                        keep = true;
                    } finally {
                        if (!keep) {
                            h.endExtension();
                        }
                    }
                }
            }
            for (int from = 0; from < due.size(); from += Limits.MAX_RECEIVE_MESSAGES) {
                int to = Math.min(due.size(), from + Limits.MAX_RECEIVE_MESSAGES);
                extend(s, due.subList(from, to), steps.subList(from, to), now);
            }
        } finally {
            for (Held h : due) {
                h.endExtension();
            }
        }
    }

    /** Extends the visibility of {@code held} (whose extensions the caller has begun) by {@code steps}. */
    private void extend(Subscription s, List<Held> held, List<Duration> steps, Instant now) {
        List<VisibilityChange> changes = new ArrayList<>(held.size());
        for (int i = 0; i < held.size(); i++) {
            changes.add(new VisibilityChange(held.get(i).message.receipt(), steps.get(i)));
        }
        BatchResult<String> result;
        try {
            result = s.queue.changeVisibilityBatch(changes);
        } catch (RuntimeException e) {
            log.warn("{}: extending the visibility of {} messages on queue '{}' failed; trying again at the next heartbeat",
                    name, held.size(), s.name, e);
            return;
        }
        for (int i = 0; i < held.size(); i++) {
            Held h = held.get(i);
            BatchResult.Entry<String> entry = result.get(i);
            if (entry.succeeded()) {
                if (steps.get(i).compareTo(h.visibility) < 0) {
                    h.heartbeatStopped = true; // the last step the 12 h limit allows
                }
                h.lastExtendedAt = now;
                listener.onVisibilityExtended(h.message, steps.get(i));
            } else {
                RuntimeException error = ((BatchResult.Failure<String>) entry).error();
                if (error instanceof StaleReceiptException) {
                    h.heartbeatStopped = true;
                    log.warn("{}: message {} on queue '{}' (receive {}) was lost to another consumer: its visibility"
                            + " timeout ended before the worker extended it; its handler goes on, and the message"
                            + " will be handled again", name, h.message.messageId(), s.name, h.message.receiveCount());
                } else {
                    log.warn("{}: extending the visibility of message {} on queue '{}' failed; trying again at the next"
                            + " heartbeat: {}", name, h.message.messageId(), s.name, error.toString());
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Worker[" + name + ", queues=" + queueNames() + "]";
    }

    /**
     * Configures a {@link Worker}. Not thread-safe.
     */
    public static final class Builder {
        private record Entry(MessageQueue queue, MessageHandler handler, SubscriptionOptions options) {}

        private String name = "mq4j-worker";
        private int concurrency = DEFAULT_CONCURRENCY;
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private Duration pollWaitTime = DEFAULT_POLL_WAIT_TIME;
        private Duration maxDeleteDelay = DEFAULT_MAX_DELETE_DELAY;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private @Nullable Duration heartbeatInterval;
        private @Nullable Executor executor;
        private WorkerListener listener = WorkerListener.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * The worker's name, which starts its thread names and log lines: 1 to 64 characters of
         * letters, digits, {@code -}, {@code _} and {@code .}. Defaults to {@code mq4j-worker}.
         */
        public Builder name(String value) {
            Objects.requireNonNull(value, "name");
            if (!value.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new ValidationException("name", "worker name '" + value
                        + "' must be 1 to 64 characters of letters, digits, '-', '_' and '.'");
            }
            this.name = value;
            return this;
        }

        /**
         * The slots shared by the queues subscribed without a concurrency of their own: how many of
         * their messages the worker holds (and runs) at once. At least 1. Defaults to {@link Worker#DEFAULT_CONCURRENCY} (10).
         */
        public Builder concurrency(int value) {
            if (value < 1) {
                throw new ValidationException("concurrency", "worker concurrency is " + value + "; it must be at least 1");
            }
            this.concurrency = value;
            return this;
        }

        /** Serves {@code queue} with {@code handler} and {@link SubscriptionOptions#defaults()}. */
        public Builder subscribe(MessageQueue queue, MessageHandler handler) {
            return subscribe(queue, handler, SubscriptionOptions.defaults());
        }

        /**
         * Serves {@code queue} with {@code handler}. Queues sharing the worker's slots are served in
         * the order of these calls: the first has the highest priority.
         *
         * @throws ValidationException if the queue is subscribed already
         */
        public Builder subscribe(MessageQueue queue, MessageHandler handler, SubscriptionOptions options) {
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(options, "options");
            if (entries.containsKey(queue.name())) {
                throw new ValidationException("queue", queue.name(), "queue '" + queue.name() + "' is subscribed twice");
            }
            entries.put(queue.name(), new Entry(queue, handler, options));
            return this;
        }

        /** How long a receive waits for messages (long polling), 1 to 20 s in whole seconds. Defaults to 20 s. */
        public Builder pollWaitTime(Duration value) {
            Objects.requireNonNull(value, "pollWaitTime");
            if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Limits.MAX_WAIT_TIME) > 0 || value.getNano() != 0) {
                throw new ValidationException("pollWaitTime", "pollWaitTime is " + value + "; it must be 1 to "
                        + Limits.MAX_WAIT_TIME.getSeconds() + " s in whole seconds");
            }
            this.pollWaitTime = value;
            return this;
        }

        /**
         * The longest a handled message's delete waits to be sent in a batch with others, more than 0
         * and at most 1 s. Defaults to 50 ms.
         */
        public Builder maxDeleteDelay(Duration value) {
            Objects.requireNonNull(value, "maxDeleteDelay");
            if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new ValidationException("maxDeleteDelay", "maxDeleteDelay is " + value + "; it must be more than 0 and at most 1 s");
            }
            this.maxDeleteDelay = value;
            return this;
        }

        /** How long {@link Worker#close()} waits for running handlers, 0 or more. Defaults to 30 s. */
        public Builder shutdownTimeout(Duration value) {
            Objects.requireNonNull(value, "shutdownTimeout");
            if (value.isNegative()) {
                throw new ValidationException("shutdownTimeout", "shutdownTimeout is " + value + "; it must not be negative");
            }
            this.shutdownTimeout = value;
            return this;
        }

        /**
         * How often (in real time) the worker checks which held messages need their visibility
         * extended; less than half the shortest visibility timeout of its queues. Defaults to 1 s,
         * or a quarter of the shortest visibility timeout if that is less.
         */
        public Builder heartbeatInterval(Duration value) {
            Objects.requireNonNull(value, "heartbeatInterval");
            if (value.isNegative() || value.isZero()) {
                throw new ValidationException("heartbeatInterval", "heartbeatInterval is " + value + "; it must be more than 0");
            }
            this.heartbeatInterval = value;
            return this;
        }

        /**
         * Runs handlers on the application's executor instead of threads of the worker's own. The
         * executor must run as many tasks at once as the worker has slots; the worker never shuts it
         * down. Defaults to threads of the worker's own.
         */
        public Builder executor(Executor value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /** Told what the worker does, for metrics. Defaults to {@link WorkerListener#NONE}. */
        public Builder listener(WorkerListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * The clock the visibility heartbeat measures time by; give the backend's clock (e.g. the
         * memory backend's {@link io.github.mq4j.memory.ManualClock}) in tests. Defaults to the system UTC clock.
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * The worker, not yet started.
         *
         * @throws ValidationException if no queue is subscribed, or a queue's visibility timeout is 0
         *     and its subscription names none, or the heartbeat interval is too long for a queue
         */
        public Worker build() {
            if (entries.isEmpty()) {
                throw new ValidationException("subscriptions", "worker '" + name + "' has no subscriptions; call subscribe(queue, handler)");
            }
            return new Worker(this);
        }
    }
}
