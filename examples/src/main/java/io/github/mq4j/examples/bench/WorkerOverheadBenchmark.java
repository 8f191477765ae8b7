package io.github.mq4j.examples.bench;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.Topology;
import io.github.mq4j.examples.EmbeddedElasticMq;
import io.github.mq4j.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Worker overhead: messages per second through a {@link Worker} with a no-op handler, against a
 * hand-written loop ({@code receive} up to 10, run each, {@code deleteBatch}) on the same backend
 * and queue, with the same concurrency, as a ratio. Target: 0.9 or more.
 *
 * <p>Same concurrency means the same number of messages in hand and of receives in progress: for
 * a concurrency of {@code C}, the worker has {@code C} slots (and so {@code C/10} pollers) and the
 * loop runs {@code C/10} threads, each holding up to 10 messages.
 *
 * <p>Each round fills the queue with {@code BENCH_MESSAGES} messages (not timed), collects the
 * garbage (not timed; otherwise a young collection that copies the 200,000 messages of the memory
 * backend, about 100 ms, lands inside one consumer's timing in one round out of three), starts a
 * consumer (not timed: its threads wait in their first receive, so that the figures are of a
 * running consumer, not of starting one), then times how long it takes to delete them all from
 * the moment its receives are let through (counted by a {@link CountingQueue} around the queue).
 * Each round runs the two consumers back to back, so that both see the same load on the machine,
 * and they take turns at going first; the first round is a warm-up. Reported per consumer:
 * messages per second of wall time, and per second of the process's CPU time (which other
 * processes on a shared machine disturb far less); and the medians of the rounds' ratios of both.
 *
 * <pre>
 * MESSAGE_QUEUE_TYPE=memory MAVEN_OPTS="-Xms4g -Xmx4g -Xmn2g -XX:+AlwaysPreTouch" mvn -q -pl examples -am compile exec:java \
 *     -Dexec.mainClass=io.github.mq4j.examples.bench.WorkerOverheadBenchmark
 * </pre>
 *
 * <p>On SQS without an AWS account, {@code BENCH_ELASTICMQ=true} starts an ElasticMQ in the JVM
 * (as {@link SqsBenchmark} does) and provisions the default topology on it:
 *
 * <pre>
 * MESSAGE_QUEUE_TYPE=sqs BENCH_ELASTICMQ=true mvn -q -pl examples -am compile exec:java \
 *     -Dexec.mainClass=io.github.mq4j.examples.bench.WorkerOverheadBenchmark
 * </pre>
 *
 * <p>Settings (environment): {@code MESSAGE_QUEUE_TYPE} and the backend's variables, as for
 * {@link QueueFactory#fromEnv()} (with nothing set: memory); {@code BENCH_ELASTICMQ}; {@code BENCH_QUEUE} (default
 * {@code async-jobs}), {@code BENCH_MESSAGES} (default 200000 on memory, where a round of fewer
 * lasts a few milliseconds and measures thread start-up and garbage collection, 10000 elsewhere),
 * {@code BENCH_CONCURRENCY} (a
 * multiple of 10, default 40), {@code BENCH_ROUNDS} (timed rounds, default 31 on memory, whose
 * rounds last a fraction of a second and swing by half from one to the next, 11 elsewhere),
 * {@code BENCH_LOOP_THREADS} (the hand loop's threads, default {@code BENCH_CONCURRENCY / 10};
 * 1 compares the worker with a single loop, which on memory is faster than four).
 */
public final class WorkerOverheadBenchmark {
    private WorkerOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        ConfigSource env = ConfigSource.environment();
        ConfigSource config = env.orElse(ConfigSource.of(Map.of("MESSAGE_QUEUE_TYPE", "memory")));
        String queueName = env.get("BENCH_QUEUE").orElse("async-jobs");
        boolean memory = "memory".equals(config.get(QueueFactory.TYPE_VARIABLE).orElse("memory"));
        int messages = Integer.parseInt(env.get("BENCH_MESSAGES").orElse(memory ? "200000" : "10000"));
        int concurrency = Integer.parseInt(env.get("BENCH_CONCURRENCY").orElse("40"));
        int rounds = Integer.parseInt(env.get("BENCH_ROUNDS").orElse(memory ? "31" : "11"));
        int loopThreads = Integer.parseInt(env.get("BENCH_LOOP_THREADS").orElse(Integer.toString(concurrency / 10)));

        if (concurrency < 10 || concurrency % 10 != 0) {
            throw new IllegalArgumentException("BENCH_CONCURRENCY is " + concurrency + "; it must be a multiple of 10");
        }
        if (loopThreads < 1) {
            throw new IllegalArgumentException("BENCH_LOOP_THREADS is " + loopThreads + "; it must be at least 1");
        }
        boolean elasticMq = Boolean.parseBoolean(env.get("BENCH_ELASTICMQ").orElse("false"));
        if (elasticMq && !"sqs".equals(config.get(QueueFactory.TYPE_VARIABLE).orElse(""))) {
            throw new IllegalArgumentException("BENCH_ELASTICMQ=true needs MESSAGE_QUEUE_TYPE=sqs");
        }
        try (EmbeddedElasticMq server = elasticMq ? EmbeddedElasticMq.start() : null;
                QueueClient client = server != null ? server.open(Topology.defaults(), "overhead-", Map.of())
                        : QueueFactory.fromConfig(config)) {
            MessageQueue queue = client.queue(queueName);
            System.out.printf("worker overhead on '%s', queue %s: %d messages per round, concurrency %d"
                    + " (worker: %d slots; loop: %d threads x 10), %d timed rounds%n",
                    client.type(), queueName, messages, concurrency, concurrency, loopThreads, rounds);
            double[] loopRate = new double[rounds];
            double[] workerRate = new double[rounds];
            double[] rateRatios = new double[rounds];
            double[] cpuRatios = new double[rounds];
            for (int round = -1; round < rounds; round++) {
                // the two take turns at going first, so that neither always meets what the other left behind
                Result l;
                Result w;
                if (round % 2 == 0) {
                    l = measure(queue, messages, q -> handLoop(q, loopThreads));
                    w = measure(queue, messages, q -> worker(q, concurrency));
                } else {
                    w = measure(queue, messages, q -> worker(q, concurrency));
                    l = measure(queue, messages, q -> handLoop(q, loopThreads));
                }
                String label = round < 0 ? "warm-up" : "round " + (round + 1);
                System.out.printf("  %-8s hand loop %,9.0f msg/s %,9.0f msg/cpu-s   worker %,9.0f msg/s %,9.0f msg/cpu-s"
                        + "   ratio %.3f, per cpu-s %.3f%n", label, l.perSecond, l.perCpuSecond, w.perSecond, w.perCpuSecond,
                        w.perSecond / l.perSecond, w.perCpuSecond / l.perCpuSecond);
                if (round >= 0) {
                    loopRate[round] = l.perSecond;
                    workerRate[round] = w.perSecond;
                    rateRatios[round] = w.perSecond / l.perSecond;
                    cpuRatios[round] = w.perCpuSecond / l.perCpuSecond;
                }
            }
            System.out.printf("median: hand loop %,.0f msg/s, worker %,.0f msg/s; median ratio %.3f (msg/s), %.3f (msg per"
                    + " cpu-second); target >= 0.9%n", Measurements.median(loopRate), Measurements.median(workerRate),
                    Measurements.median(rateRatios), Measurements.median(cpuRatios));
        }
    }

    /** Messages per second of wall time, and per second of the process's CPU time (all its threads). */
    private record Result(double perSecond, double perCpuSecond) {}

    /** A consumer that runs on a queue until stopped. */
    private interface Consumer {
        AutoCloseable start(MessageQueue queue);
    }

    /** Fills the queue, starts the consumer, and measures until every message has been deleted. */
    private static Result measure(MessageQueue queue, int messages, Consumer consumer) throws Exception {
        queue.purge();
        fill(queue, messages);
        // the filled queue's messages are old by the time a young collection comes; one now moves
        // them out of its way, so that neither consumer's timing holds a pause that copies them
        System.gc();
        CountingQueue counting = new CountingQueue(queue, messages);
        try (AutoCloseable running = consumer.start(counting)) {
            // the consumer's threads start (not timed) and wait in their first receive
            Thread.sleep(100);
            long cpu0 = Measurements.processCpuNanos();
            long t0 = System.nanoTime();
            counting.open();
            if (!counting.awaitDeleted(Duration.ofMinutes(10))) {
                throw new IllegalStateException("the queue was not emptied within 10 minutes");
            }
            long elapsed = System.nanoTime() - t0;
            long cpu = Measurements.processCpuNanos() - cpu0;
            if (queue.stats().total() != 0) {
                throw new IllegalStateException("messages left after the run: " + queue.stats());
            }
            return new Result(messages / (elapsed / 1e9), messages / (cpu / 1e9));
        }
    }


    private static void fill(MessageQueue queue, int messages) throws InterruptedException {
        int threads = 4;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = messages / threads + (t < messages % threads ? 1 : 0);
            Thread s = new Thread(() -> {
                List<OutgoingMessage> batch = new ArrayList<>(10);
                for (int i = 0; i < share; i++) {
                    batch.add(OutgoingMessage.of("{\"n\":" + i + "}"));
                    if (batch.size() == 10 || i == share - 1) {
                        queue.sendBatch(batch);
                        batch = new ArrayList<>(10);
                    }
                }
            }, "bench-sender-" + t);
            s.start();
            senders.add(s);
        }
        for (Thread s : senders) {
            s.join();
        }
    }

    /** {@code threads} threads, each: receive up to 10, run the no-op handler on each, delete them in one batch. */
    private static AutoCloseable handLoop(MessageQueue queue, int threads) {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> all = new ArrayList<>();
        ReceiveRequest request = ReceiveRequest.of(10, Duration.ofSeconds(1));
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                while (running.get()) {
                    List<ReceivedMessage> got = queue.receive(request);
                    if (got.isEmpty()) {
                        continue;
                    }
                    List<String> receipts = new ArrayList<>(got.size());
                    for (ReceivedMessage m : got) {
                        noOp(m);
                        receipts.add(m.receipt());
                    }
                    queue.deleteBatch(receipts);
                }
            }, "bench-loop-" + t);
            th.start();
            all.add(th);
        }
        return () -> {
            running.set(false);
            for (Thread th : all) {
                th.join();
            }
        };
    }

    private static AutoCloseable worker(MessageQueue queue, int concurrency) {
        Worker worker = Worker.builder().name("bench").concurrency(concurrency).pollWaitTime(Duration.ofSeconds(1))
                .subscribe(queue, (m, c) -> noOp(m)).build();
        worker.start();
        return worker;
    }

    private static void noOp(ReceivedMessage m) {
        if (m.body().isEmpty()) {
            throw new IllegalStateException("empty body");
        }
    }

}
