package io.github.mq4j.examples;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.worker.BackoffPolicy;
import io.github.mq4j.worker.DeadLetterReason;
import io.github.mq4j.worker.MessageContext;
import io.github.mq4j.worker.SubscriptionOptions;
import io.github.mq4j.worker.Worker;
import io.github.mq4j.worker.WorkerListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small job system on the eight default queues, run by the worker runtime: webhooks arrive and
 * fan out to {@code async-jobs}; ordered builds per team and project go through
 * {@code async-jobs.fifo} (group {@code build-<team>-<project>}); cron triggers land in
 * {@code cronjobs}; worker heartbeats in {@code iot}. A billing job that keeps failing ends in
 * {@code dlq} after three receives and is redriven once "fixed". Prints a live line per queue
 * and a summary.
 *
 * <p>Runs on whatever {@code MESSAGE_QUEUE_TYPE} says; with nothing set, on the in-memory backend.
 */
public final class JobSystemExample {
    private static final List<String> SHOWN = List.of("webhooks", "async-jobs", "async-jobs.fifo", "cronjobs", "iot", "dlq");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final Map<String, Integer> lastBuildPerGroup = new ConcurrentHashMap<>();
    private final LongAdder orderViolations = new LongAdder();
    private final AtomicBoolean billingFixed = new AtomicBoolean();

    /** Per-queue numbers for the live lines. */
    private static final class Counters {
        final LongAdder sent = new LongAdder();
        final LongAdder handled = new LongAdder();
        final LongAdder retried = new LongAdder();
        final LongAdder deadLettered = new LongAdder();
    }

    public static void main(String[] args) throws Exception {
        ConfigSource config = ConfigSource.environment().orElse(ConfigSource.of(Map.of("MESSAGE_QUEUE_TYPE", "memory")));
        try (QueueClient queues = QueueFactory.fromConfig(config)) {
            System.out.println("mq4j job-system example on the '" + queues.type()
                    + "' backend (set MESSAGE_QUEUE_TYPE to choose another)");
            new JobSystemExample().run(queues);
        }
    }

    void run(QueueClient queues) throws InterruptedException {
        WorkerListener counting = new WorkerListener() {
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
            }
        };
        SubscriptionOptions retryAtOnce = SubscriptionOptions.builder().backoff(BackoffPolicy.immediate()).build();
        Worker worker = Worker.builder()
                .name("example")
                .concurrency(8)
                .pollWaitTime(Duration.ofSeconds(1))
                .listener(counting)
                .subscribe(queues.queue("webhooks"), (m, ctx) -> fanOut(queues, m))    // served first
                .subscribe(queues.queue("async-jobs"), this::runJob, retryAtOnce)
                .subscribe(queues.queue("cronjobs"), (m, ctx) -> { })
                .subscribe(queues.queue("iot"), (m, ctx) -> { })
                .subscribe(queues.queue("async-jobs.fifo"), (m, ctx) -> build(m),
                        SubscriptionOptions.builder().concurrency(4).build())
                .build();
        worker.start();
        try {
            produce(queues);
            MessageQueue dlq = queues.queue("dlq");
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (dlq.stats().visible() == 0 && System.nanoTime() < deadline) {
                printLive(queues);
                Thread.sleep(250);
            }
            System.out.println("the billing job is in dlq after " + of("async-jobs").retried.sum()
                    + " retries; fixing the bug and redriving it");
            billingFixed.set(true);
            long moved = dlq.redrive(RedriveRequest.toSource()).moved();
            System.out.println("redrove " + moved + " message(s) from dlq back to their source queue");
            while (!drained(queues) && System.nanoTime() < deadline) {
                printLive(queues);
                Thread.sleep(250);
            }
        } finally {
            worker.close();
        }
        printLive(queues);
        System.out.println("summary: " + summary() + "; FIFO order violations: " + orderViolations.sum());
    }

    private void produce(QueueClient queues) throws InterruptedException {
        MessageQueue webhooks = queues.queue("webhooks");
        for (int i = 1; i <= 30; i++) {
            send(webhooks, OutgoingMessage.builder("{\"event\":\"push\",\"team\":" + (i % 3) + ",\"project\":" + (i % 4)
                    + ",\"n\":" + i + "}").attribute("source", "vcs").build());
            if (i % 10 == 0) {
                send(queues.queue("cronjobs"), OutgoingMessage.of("{\"cron\":\"drift-detection\",\"tick\":" + i / 10 + "}"));
            }
            send(queues.queue("iot"), OutgoingMessage.of("{\"worker\":\"w-" + (i % 2) + "\",\"heartbeat\":" + i + "}"));
            Thread.sleep(20);
        }
        send(queues.queue("async-jobs"), OutgoingMessage.builder("{\"job\":\"billing\"}").attribute("kind", "billing").build());
    }

    private void fanOut(QueueClient queues, ReceivedMessage webhook) {
        send(queues.queue("async-jobs"), OutgoingMessage.of("{\"job\":\"notify\",\"n\":" + field(webhook.body(), "n") + "}"));
        String group = "build-" + field(webhook.body(), "team") + "-" + field(webhook.body(), "project");
        send(queues.queue("async-jobs.fifo"), OutgoingMessage.builder("{\"build\":" + field(webhook.body(), "n") + "}")
                .groupId(group).build());
    }

    private void runJob(ReceivedMessage job, MessageContext context) {
        if ("billing".equals(job.attribute("kind")) && !billingFixed.get()) {
            throw new IllegalStateException("billing job failed (receive " + context.receiveCount() + ")");
        }
    }

    private void build(ReceivedMessage m) {
        int build = Integer.parseInt(field(m.body(), "build"));
        Integer previous = lastBuildPerGroup.put(m.groupId(), build);
        if (previous != null && previous > build) {
            orderViolations.increment();
        }
    }

    private Counters of(String queue) {
        return counters.computeIfAbsent(queue, q -> new Counters());
    }

    private void send(MessageQueue queue, OutgoingMessage message) {
        queue.send(message);
        of(queue.name()).sent.increment();
    }

    private static boolean drained(QueueClient queues) {
        for (String name : SHOWN) {
            if (queues.queue(name).stats().total() > 0) {
                return false;
            }
        }
        return true;
    }

    private static String field(String json, String name) {
        int start = json.indexOf("\"" + name + "\":") + name.length() + 3;
        int end = start;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return json.substring(start, end);
    }

    private void printLive(QueueClient queues) {
        StringBuilder line = new StringBuilder();
        for (String name : SHOWN) {
            Counters c = of(name);
            line.append(String.format("%s %d/%d", name, c.handled.sum(), c.sent.sum()));
            if (c.retried.sum() > 0) {
                line.append(" retried=").append(c.retried.sum());
            }
            if (c.deadLettered.sum() > 0) {
                line.append(" dead=").append(c.deadLettered.sum());
            }
            line.append(" depth=").append(queues.queue(name).stats().total()).append(" | ");
        }
        System.out.println(line.substring(0, line.length() - 3));
    }

    private String summary() {
        StringBuilder s = new StringBuilder();
        for (String name : SHOWN) {
            Counters c = of(name);
            s.append(name).append(": ").append(c.handled.sum()).append(" handled, ").append(c.retried.sum()).append(" retried; ");
        }
        return s.substring(0, s.length() - 2);
    }
}
