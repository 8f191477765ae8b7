package io.github.mq4j.examples;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small job system on the eight default queues: webhooks arrive and fan out to
 * {@code async-jobs}, ordered builds per team and project go through {@code async-jobs.fifo},
 * cron triggers land in {@code cronjobs}, worker heartbeats in {@code iot}; a job that keeps
 * failing ends in {@code dlq} and is redriven once "fixed". Prints a live line per queue and a
 * summary.
 *
 * <p>Runs on whatever {@code MESSAGE_QUEUE_TYPE} says; with nothing set, on the in-memory backend.
 */
public final class JobSystemExample {
    private static final List<String> SHOWN = List.of("webhooks", "async-jobs", "async-jobs.fifo", "cronjobs", "iot", "dlq");

    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final AtomicBoolean poisonFixed = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, String> lastBuildPerGroup = new ConcurrentHashMap<>();
    private final LongAdder orderViolations = new LongAdder();

    /** Per-queue numbers for the live lines. */
    private static final class Counters {
        final LongAdder sent = new LongAdder();
        final LongAdder handled = new LongAdder();
        final LongAdder retried = new LongAdder();
    }

    public static void main(String[] args) throws Exception {
        ConfigSource config = ConfigSource.environment().orElse(ConfigSource.of(Map.of("MESSAGE_QUEUE_TYPE", "memory")));
        try (QueueClient queues = QueueFactory.fromConfig(config)) {
            System.out.println("mq4j job-system example on the '" + queues.type()
                    + "' backend (set MESSAGE_QUEUE_TYPE to choose another)");
            new JobSystemExample().run(queues);
        }
    }

    private Counters of(String queue) {
        return counters.computeIfAbsent(queue, q -> new Counters());
    }

    private void send(MessageQueue queue, OutgoingMessage message) {
        queue.send(message);
        of(queue.name()).sent.increment();
    }

    void run(QueueClient queues) throws InterruptedException {
        List<Thread> consumers = new ArrayList<>();
        for (String name : SHOWN) {
            if (name.equals("dlq")) {
                continue; // dead letters wait for a person (here: the redrive below)
            }
            MessageQueue queue = queues.queue(name);
            Thread t = new Thread(() -> consume(queues, queue), "example-consumer-" + name);
            t.start();
            consumers.add(t);
        }

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
        send(queues.queue("async-jobs"), OutgoingMessage.builder("{\"job\":\"billing\",\"bad\":true}").attribute("kind", "poison").build());

        MessageQueue dlq = queues.queue("dlq");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (dlq.stats().visible() == 0 && System.nanoTime() < deadline) {
            printLive(queues);
            Thread.sleep(250);
        }
        System.out.println("the poison job reached dlq; fixing the bug and redriving it");
        poisonFixed.set(true);
        long moved = dlq.redrive(RedriveRequest.toSource()).moved();
        System.out.println("redrove " + moved + " message(s) from dlq back to their source queue");

        while (!drained(queues) && System.nanoTime() < deadline) {
            printLive(queues);
            Thread.sleep(250);
        }
        running.set(false);
        for (Thread t : consumers) {
            t.join();
        }
        printLive(queues);
        System.out.println("summary: " + summary() + "; FIFO order violations: " + orderViolations.sum());
    }

    private boolean drained(QueueClient queues) {
        for (String name : SHOWN) {
            if (queues.queue(name).stats().total() > 0) {
                return false;
            }
        }
        return true;
    }

    /** A plain receive loop; the worker runtime replaces this in real applications. */
    private void consume(QueueClient queues, MessageQueue queue) {
        ReceiveRequest request = ReceiveRequest.of(10, Duration.ofSeconds(1));
        while (running.get()) {
            for (ReceivedMessage m : queue.receive(request)) {
                try {
                    handle(queues, queue, m);
                    queue.delete(m);
                    of(queue.name()).handled.increment();
                } catch (RuntimeException e) {
                    of(queue.name()).retried.increment();
                    queue.changeVisibility(m, Duration.ZERO);
                }
            }
        }
    }

    private void handle(QueueClient queues, MessageQueue queue, ReceivedMessage m) {
        switch (queue.name()) {
            case "webhooks" -> {
                send(queues.queue("async-jobs"), OutgoingMessage.of("{\"job\":\"notify\",\"from\":" + m.body() + "}"));
                String team = field(m.body(), "team");
                String project = field(m.body(), "project");
                send(queues.queue("async-jobs.fifo"), OutgoingMessage.builder("{\"build\":" + field(m.body(), "n") + "}")
                        .groupId("build-" + team + "-" + project).build());
            }
            case "async-jobs" -> {
                if ("poison".equals(m.attribute("kind")) && !poisonFixed.get()) {
                    throw new IllegalStateException("billing job failed");
                }
            }
            case "async-jobs.fifo" -> {
                String build = field(m.body(), "build");
                String previous = lastBuildPerGroup.put(m.groupId(), build);
                if (previous != null && Integer.parseInt(previous) > Integer.parseInt(build)) {
                    orderViolations.increment();
                }
            }
            default -> { }
        }
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
            line.append(String.format("%s sent=%d handled=%d retried=%d depth=%d | ", name, c.sent.sum(), c.handled.sum(),
                    c.retried.sum(), queues.queue(name).stats().total()));
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
