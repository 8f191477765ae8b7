package io.github.mq4j.examples;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.Topology;
import io.github.mq4j.worker.BackoffPolicy;
import io.github.mq4j.worker.DeadLetterReason;
import io.github.mq4j.worker.MessageContext;
import io.github.mq4j.worker.SubscriptionOptions;
import io.github.mq4j.worker.Worker;
import io.github.mq4j.worker.WorkerListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small job system on the eight default queues, run by the worker runtime:
 * <ul>
 * <li>webhooks arrive in {@code webhooks}; each fans out a notification job to {@code async-jobs}
 *     and a build to {@code async-jobs.fifo}, whose group {@code build-<team>-<project>} keeps the
 *     builds of one project in order (the example checks that they are);</li>
 * <li>a finished build publishes a domain event to {@code events-inbox};</li>
 * <li>cron triggers land in {@code cronjobs} and start a job in {@code async-jobs};</li>
 * <li>workers report heartbeats to {@code iot};</li>
 * <li>a billing job whose handler keeps failing is retried, reaches its third receive
 *     ({@code maxReceiveCount} 3) and ends in {@code dlq}; the bug is then "fixed" and the
 *     message redriven back to {@code async-jobs}, where it succeeds.</li>
 * </ul>
 * It prints a live line per queue as it goes (sent, handled, retried, dead-lettered, depth) and a
 * summary at the end, and stops when every message is handled or after a minute.
 *
 * <p>Run it with {@code mvn -q -pl examples -am compile exec:java}. With nothing configured it
 * runs the SQS backend on an embedded ElasticMQ ({@link ExampleBackend}); with
 * {@code MESSAGE_QUEUE_TYPE=postgres} and {@code MESSAGE_QUEUE_POSTGRES_URL} on PostgreSQL. An
 * optional argument is the number of webhooks (default {@value #DEFAULT_WEBHOOKS}).
 */
public final class JobSystemExample {
    /** How many webhooks arrive unless the first argument says otherwise. */
    public static final int DEFAULT_WEBHOOKS = 30;
    private static final Duration DEADLINE = Duration.ofSeconds(50);
    private static final Duration LIVE_INTERVAL = Duration.ofMillis(500);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(100);

    private final PrintStream out;
    private final QueueClient queues;
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> buildsSentPerGroup = new ConcurrentHashMap<>();
    private final Map<String, Integer> lastBuildPerGroup = new ConcurrentHashMap<>();
    private final Map<String, Integer> lastHeartbeatPerWorker = new ConcurrentHashMap<>();
    private final LongAdder orderViolations = new LongAdder();
    private final AtomicBoolean billingFixed = new AtomicBoolean();
    private final long startNanos = System.nanoTime();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private String lastLive = ""; // guarded by this

    /** What happened to one queue. For {@code dlq}, "sent" counts arrivals and "handled" messages redriven. */
    public record QueueSummary(String queue, long sent, long handled, long retried, long deadLettered, long depth) {}

    /**
     * The outcome of a run.
     *
     * @param queues one entry per queue of the topology, in its order
     * @param redriven the messages moved from {@code dlq} back to their queue
     * @param orderViolations builds of one project handled out of the order they were sent in
     * @param completed whether every message was handled before the deadline
     * @param elapsed how long the run took
     */
    public record Summary(List<QueueSummary> queues, long redriven, long orderViolations, boolean completed, Duration elapsed) {
        /** The entry of {@code name}. */
        public QueueSummary queue(String name) {
            return queues.stream().filter(q -> q.queue().equals(name)).findFirst().orElseThrow();
        }
    }

    /** Per-queue numbers for the live lines. */
    private static final class Counters {
        final LongAdder sent = new LongAdder();
        final LongAdder handled = new LongAdder();
        final LongAdder retried = new LongAdder();
        final LongAdder deadLettered = new LongAdder();
    }

    private JobSystemExample(QueueClient queues, PrintStream out) {
        this.queues = queues;
        this.out = out;
    }

    public static void main(String[] args) throws InterruptedException {
        int webhooks = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_WEBHOOKS;
        Summary summary;
        try (ExampleBackend backend = ExampleBackend.open(Topology.defaults())) {
            System.out.println("mq4j job-system example on " + backend.description());
            summary = run(backend, webhooks, System.out);
        }
        if (!summary.completed()) {
            System.exit(1);
        }
    }

    /** Plays the job system with {@code webhooks} webhooks on {@code backend}, printing to {@code out}. */
    public static Summary run(ExampleBackend backend, int webhooks, PrintStream out) throws InterruptedException {
        if (backend.isScratch() && !backend.isEmbedded()) {
            // what an interrupted run left in the examples' own queues (a new embedded server has none)
            backend.queues().topology().names().forEach(name -> backend.queues().queue(name).purge());
        }
        return new JobSystemExample(backend.queues(), out).play(webhooks);
    }

    private Summary play(int webhooks) throws InterruptedException {
        SubscriptionOptions retryAtOnce = SubscriptionOptions.builder().backoff(BackoffPolicy.immediate()).build();
        Worker worker = Worker.builder()
                .name("jobs")
                .concurrency(8)                                  // slots shared by the queues below, in this order
                .pollWaitTime(Duration.ofSeconds(1))
                .listener(new Counting())
                .subscribe(queues.queue("webhooks"), this::fanOut)
                .subscribe(queues.queue("async-jobs"), this::runJob, retryAtOnce)
                .subscribe(queues.queue("cronjobs"), this::cron)
                .subscribe(queues.queue("events-inbox"), (event, context) -> { })
                .subscribe(queues.queue("iot"), this::heartbeat)
                .subscribe(queues.queue("async-jobs.fifo"), this::build,
                        SubscriptionOptions.builder().concurrency(4).build())  // slots of its own
                .build();
        worker.start();
        ScheduledExecutorService live = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jobs-live");
            t.setDaemon(true);
            return t;
        });
        live.scheduleWithFixedDelay(this::printLiveIfChanged, 0, LIVE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        long redriven = 0;
        boolean completed = false;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try {
            produce(webhooks);
            MessageQueue dlq = queues.queue("dlq");
            while (System.nanoTime() < deadline) {
                if (!billingFixed.get() && dlq.stats().visible() > 0) {
                    out.printf("%s the billing job is in dlq after %d retries; fixing the bug and redriving it%n",
                            clock(), of("async-jobs").retried.sum());
                    billingFixed.set(true);
                    long moved = dlq.redrive(RedriveRequest.toSource()).moved();
                    redriven += moved;
                    of("dlq").handled.add(moved);
                    out.printf("%s redrove %d message(s) from dlq back to async-jobs%n", clock(), moved);
                }
                if (billingFixed.get() && allHandled()) {
                    completed = true;
                    break;
                }
                Thread.sleep(CHECK_INTERVAL.toMillis());
            }
        } finally {
            live.shutdownNow();
            worker.close();
        }
        Summary summary = summary(redriven, completed);
        printLive();
        printSummary(summary);
        return summary;
    }

    // ---- producers and handlers --------------------------------------------------------------------

    private void produce(int webhooks) throws InterruptedException {
        for (int i = 1; i <= webhooks; i++) {
            send("webhooks", OutgoingMessage.builder("{\"event\":\"push\",\"team\":" + (i % 3) + ",\"project\":" + (i % 4)
                    + ",\"n\":" + i + "}").attribute("source", "vcs").build());
            if (i % 10 == 0) {
                send("cronjobs", OutgoingMessage.of("{\"cron\":\"drift-detection\",\"tick\":" + i / 10 + "}"));
            }
            send("iot", OutgoingMessage.of("{\"worker\":" + (i % 2) + ",\"heartbeat\":" + i + "}"));
            if (i == webhooks / 2) {
                send("async-jobs", OutgoingMessage.builder("{\"job\":\"billing\"}").attribute("kind", "billing").build());
            }
            Thread.sleep(20);
        }
    }

    /** A webhook: a notification job, and a build of the team's project, in order with its earlier builds. */
    private void fanOut(ReceivedMessage webhook, MessageContext context) {
        String n = field(webhook.body(), "n");
        send("async-jobs", OutgoingMessage.of("{\"job\":\"notify\",\"n\":" + n + "}"));
        String group = "build-" + field(webhook.body(), "team") + "-" + field(webhook.body(), "project");
        AtomicInteger sequence = buildsSentPerGroup.computeIfAbsent(group, g -> new AtomicInteger());
        synchronized (sequence) { // number and send together, so that send order is number order
            // async-jobs.fifo deduplicates on the body for 5 minutes, so the body names the run: a
            // second run within 5 minutes would otherwise send nothing new
            send("async-jobs.fifo", OutgoingMessage.builder("{\"build\":" + sequence.incrementAndGet() + ",\"webhook\":" + n
                    + ",\"run\":\"" + run + "\"}").groupId(group).build());
        }
    }

    private void runJob(ReceivedMessage job, MessageContext context) {
        if ("billing".equals(job.attribute("kind")) && !billingFixed.get()) {
            throw new IllegalStateException("billing job failed (receive " + context.receiveCount() + ")");
        }
    }

    private void cron(ReceivedMessage trigger, MessageContext context) {
        send("async-jobs", OutgoingMessage.of("{\"job\":\"drift-detection\",\"tick\":" + field(trigger.body(), "tick") + "}"));
    }

    private void heartbeat(ReceivedMessage beat, MessageContext context) {
        lastHeartbeatPerWorker.merge(field(beat.body(), "worker"), Integer.parseInt(field(beat.body(), "heartbeat")), Math::max);
    }

    private void build(ReceivedMessage build, MessageContext context) {
        int number = Integer.parseInt(field(build.body(), "build"));
        Integer previous = lastBuildPerGroup.put(build.groupId(), number);
        if (previous != null && previous + 1 != number) {
            orderViolations.increment();
        }
        send("events-inbox", OutgoingMessage.builder("{\"event\":\"build.finished\",\"group\":\"" + build.groupId()
                + "\",\"build\":" + number + "}").attribute("type", "build.finished").build());
    }

    private void send(String queue, OutgoingMessage message) {
        queues.queue(queue).send(message);
        of(queue).sent.increment();
    }

    /** Counts what the worker does with each message. */
    private final class Counting implements WorkerListener {
        @Override
        public void onSucceeded(ReceivedMessage message, Duration handlerDuration) {
            of(message.queue()).handled.increment();
        }

        @Override
        public void onRetried(ReceivedMessage message, Duration backoff) {
            of(message.queue()).retried.increment();
        }

        @Override
        public void onDeadLettered(ReceivedMessage message, DeadLetterReason reason) {
            of(message.queue()).deadLettered.increment();
            of(queues.topology().queue(message.queue()).deadLetter().targetQueue()).sent.increment();
        }
    }

    // ---- progress ----------------------------------------------------------------------------------

    private Counters of(String queue) {
        return counters.computeIfAbsent(queue, q -> new Counters());
    }

    private boolean allHandled() {
        for (String name : queues.topology().names()) {
            Counters c = of(name);
            if (c.handled.sum() < c.sent.sum() || queues.queue(name).stats().total() > 0) {
                return false;
            }
        }
        return true;
    }

    private Summary summary(long redriven, boolean completed) {
        List<QueueSummary> list = new ArrayList<>();
        for (String name : queues.topology().names()) {
            Counters c = of(name);
            list.add(new QueueSummary(name, c.sent.sum(), c.handled.sum(), c.retried.sum(), c.deadLettered.sum(),
                    queues.queue(name).stats().total()));
        }
        return new Summary(List.copyOf(list), redriven, orderViolations.sum(), completed,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Prints the live lines of every queue, unless they are the same as the last ones printed. */
    private synchronized void printLiveIfChanged() {
        StringBuilder block = new StringBuilder();
        for (String name : queues.topology().names()) {
            Counters c = of(name);
            block.append(String.format(Locale.ROOT, "  %-16s sent %4d  handled %4d  retried %2d  dead-lettered %2d  depth %4d%n",
                    name, c.sent.sum(), c.handled.sum(), c.retried.sum(), c.deadLettered.sum(),
                    queues.queue(name).stats().total()));
        }
        String now = block.toString();
        if (!now.equals(lastLive)) {
            out.print(clock() + "\n" + now);
            lastLive = now;
        }
    }

    /** Prints the live lines of every queue. */
    private synchronized void printLive() {
        lastLive = "";
        printLiveIfChanged();
    }

    private void printSummary(Summary s) {
        long handled = 0;
        long sent = 0;
        for (QueueSummary q : s.queues()) {
            if (!q.queue().startsWith("dlq")) {
                handled += q.handled();
                sent += q.sent();
            }
        }
        out.printf(Locale.ROOT, "summary: %s in %.1f s: %d of %d messages handled on %d queues; %d retried, %d dead-lettered"
                        + " and %d redriven; %d FIFO order violations in %d build groups; heartbeats from %d workers%n",
                s.completed() ? "completed" : "NOT completed (deadline)", s.elapsed().toMillis() / 1000.0, handled, sent,
                s.queues().size(), s.queues().stream().mapToLong(QueueSummary::retried).sum(),
                s.queues().stream().mapToLong(QueueSummary::deadLettered).sum(), s.redriven(), s.orderViolations(),
                buildsSentPerGroup.size(), lastHeartbeatPerWorker.size());
    }

    private String clock() {
        return String.format(Locale.ROOT, "[%5.1fs]", (System.nanoTime() - startNanos) / 1e9);
    }

    /** The number after {@code "name":} in a flat JSON object (the example keeps to the JDK). */
    private static String field(String json, String name) {
        int start = json.indexOf("\"" + name + "\":") + name.length() + 3;
        int end = start;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return json.substring(start, end);
    }
}
