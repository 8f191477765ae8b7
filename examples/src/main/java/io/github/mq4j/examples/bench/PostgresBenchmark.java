package io.github.mq4j.examples.bench;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Throughput and latency of the PostgreSQL backend on a real server (not a test; numbers go in
 * {@code docs/benchmarks.md}).
 *
 * <ul>
 *   <li>W1 throughput: enqueue 100,000 messages of 256 bytes in batches of 10 (4 producer
 *       threads), then consume them all with 4 consumers that receive up to 10 and delete each
 *       batch; checks that exactly 100,000 distinct messages were consumed.
 *   <li>W2 latency: one producer sends a message every 5 ms, 2,000 messages; one long-polling
 *       consumer; p50/p95/p99 of send-to-receive latency.
 *   <li>W3 FIFO: 100 groups of 1,000 messages, 4 consumers; msgs/s and order violations.
 *   <li>W4 blocked groups: 10,000 FIFO groups of which 9,900 are in flight; time of a receive.
 * </ul>
 *
 * <p>Run: {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=io.github.mq4j.examples.bench.PostgresBenchmark}
 * with {@code MESSAGE_QUEUE_POSTGRES_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user
 * {@code postgres}). Arguments: the workloads to run (default {@code w1 w2 w3 w4}). Works in schema
 * {@code mq4j_bench}, which it purges and vacuums before each round. Each workload runs one warm-up round
 * (not counted) and then three measured rounds; the last lines are the medians of the measured
 * rounds ({@code -Dbench.warmup}, {@code -Dbench.rounds}).
 */
public final class PostgresBenchmark {
    private static final int BODY_BYTES = 256;
    private static final int CONSUMERS = 4;
    /** Producer threads of W1 and W3; {@code -Dbench.producers=N}. Defaults to 4. */
    private static final int PRODUCERS = Integer.getInteger("bench.producers", 4);
    /** The application name of this program's database sessions, by which it finds their server processes. */
    private static final String APPLICATION_NAME = "mq4j-bench";
    /**
     * Rounds of each workload run first and not counted, while the JIT compiles the hot paths
     * (the first round of a fresh JVM is up to 2× slower); {@code -Dbench.warmup=N}, default 1.
     */
    private static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmup", 1);
    /** Measured rounds of each workload, each from an empty queue; {@code -Dbench.rounds=N}, default 3. */
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static @Nullable String serverUrl;
    private static @Nullable String serverUser;

    private PostgresBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<String> workloads = args.length == 0 ? List.of("w1", "w2", "w3", "w4") : Arrays.asList(args);
        Map<String, String> env = new HashMap<>();
        String url = System.getenv().getOrDefault("MESSAGE_QUEUE_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        url += (url.contains("?") ? "&" : "?") + "ApplicationName=" + APPLICATION_NAME;
        env.put("MESSAGE_QUEUE_POSTGRES_URL", url);
        env.put("MESSAGE_QUEUE_POSTGRES_USER", System.getenv().getOrDefault("MESSAGE_QUEUE_POSTGRES_USER", "postgres"));
        if (url.contains("//127.0.0.1") || url.contains("//localhost")) {
            serverUrl = url.replace("ApplicationName=" + APPLICATION_NAME, "ApplicationName=mq4j-bench-probe");
            serverUser = env.get("MESSAGE_QUEUE_POSTGRES_USER");
        }
        env.put("MESSAGE_QUEUE_POSTGRES_SCHEMA", "mq4j_bench");
        env.put("MESSAGE_QUEUE_POSTGRES_POOL_SIZE", String.valueOf(Math.max(10, PRODUCERS + 2)));
        Topology topology = Topology.of(
                QueueSpec.standard("bench").visibilityTimeout(Duration.ofSeconds(60)).build(),
                QueueSpec.fifo("bench.fifo").visibilityTimeout(Duration.ofSeconds(60)).build());
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        try (QueueClient client = QueueFactory.builder().type("postgres").topology(topology)
                .config(ConfigSource.of(env)).build()) {
            for (String w : workloads) {
                String name = w.toLowerCase(Locale.ROOT);
                for (int round = 1 - WARMUP_ROUNDS; round <= ROUNDS; round++) {
                    client.queue("bench").purge();
                    client.queue("bench.fifo").purge();
                    vacuum(url, env.get("MESSAGE_QUEUE_POSTGRES_USER"));
                    System.out.print(round <= 0 ? "(warm-up) " : "(round " + round + ") ");
                    double[] figures = switch (name) {
                        case "w1" -> w1(client.queue("bench"));
                        case "w2" -> w2(client.queue("bench"));
                        case "w3" -> w3(client.queue("bench.fifo"));
                        case "w4" -> w4(client.queue("bench.fifo"));
                        default -> throw new IllegalArgumentException("unknown workload " + w + "; use w1 w2 w3 w4");
                    };
                    if (round > 0) {
                        results.computeIfAbsent(name, k -> new ArrayList<>()).add(figures);
                    }
                }
            }
        }
        summarize(results);
    }

    /**
     * Vacuums the emptied message table, so that every round starts from the same empty table
     * whatever the server's autovacuum did with the previous round's dead rows.
     */
    private static void vacuum(String url, String user) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, System.getenv("MESSAGE_QUEUE_POSTGRES_PASSWORD"));
                java.sql.Statement st = c.createStatement()) {
            st.execute("VACUUM mq4j_bench.message");
        }
    }

    /** Prints the median of each workload's figures over the measured rounds. */
    private static void summarize(Map<String, List<double[]>> results) {
        System.out.printf(Locale.ROOT, "medians of %d measured rounds after %d warm-up round(s):%n", ROUNDS, WARMUP_ROUNDS);
        if (results.containsKey("w1")) {
            System.out.printf(Locale.ROOT, "  W1 enqueue %.0f msgs/s, consume %.0f msgs/s%n", median(results.get("w1"), 0),
                    median(results.get("w1"), 1));
        }
        if (results.containsKey("w2")) {
            System.out.printf(Locale.ROOT, "  W2 p50 %.2f ms, p95 %.2f ms, p99 %.2f ms%n", median(results.get("w2"), 0),
                    median(results.get("w2"), 1), median(results.get("w2"), 2));
        }
        if (results.containsKey("w3")) {
            System.out.printf(Locale.ROOT, "  W3 enqueue %.0f msgs/s, consume %.0f msgs/s, order violations (sum) %.0f%s%n",
                    median(results.get("w3"), 0), median(results.get("w3"), 1),
                    results.get("w3").stream().mapToDouble(f -> f[2]).sum(),
                    results.containsKey("w1") ? String.format(Locale.ROOT, "; W3/W1 consume %.2f",
                            median(results.get("w3"), 1) / median(results.get("w1"), 1)) : "");
        }
        if (results.containsKey("w4")) {
            System.out.printf(Locale.ROOT, "  W4 receive p50 %.2f ms, p99 %.2f ms%n", median(results.get("w4"), 0),
                    median(results.get("w4"), 1));
        }
    }

    private static double median(List<double[]> rounds, int figure) {
        return Measurements.median(rounds.stream().mapToDouble(f -> f[figure]).toArray());
    }

    /**
     * CPU time so far of the PostgreSQL server processes serving this program (those of its
     * application name), in nanoseconds, read from {@code /proc}: only when the server runs on
     * this machine; -1 otherwise.
     */
    private static long serverCpuNanos() {
        if (serverUrl == null) {
            return -1;
        }
        long ticks = 0;
        try (Connection c = DriverManager.getConnection(serverUrl, serverUser, null);
                PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, APPLICATION_NAME);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] stat = Files.readString(Path.of("/proc", String.valueOf(rs.getInt(1)), "stat")).split("\\) ", 2)[1]
                            .split(" ");
                    // utime and stime, fields 14 and 15 of the whole line
                    ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                }
            }
        } catch (SQLException | IOException | RuntimeException e) {
            return -1;
        }
        return ticks * 10_000_000L; // clock ticks of 10 ms
    }

    private static long diff(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    private static String cpuPerMessage(long clientNanos, long serverNanos, long messages) {
        return String.format(Locale.ROOT, "CPU per msg: client %.1f µs", clientNanos / 1e3 / messages)
                + (serverNanos < 0 ? "" : String.format(Locale.ROOT, ", server %.1f µs", serverNanos / 1e3 / messages));
    }

    private static String body(long n) {
        StringBuilder sb = new StringBuilder(BODY_BYTES).append(n).append(':');
        while (sb.length() < BODY_BYTES) {
            sb.append('x');
        }
        return sb.toString();
    }

    /** Returns enqueue and consume msgs/s. */
    static double[] w1(MessageQueue queue) throws Exception {
        int total = 100_000;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(PRODUCERS, CONSUMERS));
        AtomicInteger nextBatch = new AtomicInteger();
        long cpu0 = Measurements.processCpuNanos();
        long server0 = serverCpuNanos();
        long start = System.nanoTime();
        List<Future<?>> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            producers.add(pool.submit(() -> {
                int b;
                while ((b = nextBatch.getAndIncrement()) < total / 10) {
                    List<OutgoingMessage> batch = new ArrayList<>(10);
                    for (int i = 0; i < 10; i++) {
                        batch.add(OutgoingMessage.of(body(b * 10L + i)));
                    }
                    if (!queue.sendBatch(batch).allSucceeded()) {
                        throw new IllegalStateException("a send failed");
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : producers) {
            f.get();
        }
        double enqueueSeconds = (System.nanoTime() - start) / 1e9;
        long cpu1 = Measurements.processCpuNanos();
        long server1 = serverCpuNanos();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicLong consumed = new AtomicLong();
        double consumeSeconds = consume(pool, queue, total, consumed, got -> {
            for (ReceivedMessage m : got) {
                seen.add(m.messageId());
            }
        });
        long cpu2 = Measurements.processCpuNanos();
        long server2 = serverCpuNanos();
        pool.shutdown();
        System.out.printf(Locale.ROOT, "W1 enqueue: %d msgs in %.2f s = %.0f msgs/s (%s)%n", total,
                enqueueSeconds, total / enqueueSeconds, cpuPerMessage(cpu1 - cpu0, diff(server0, server1), total));
        System.out.printf(Locale.ROOT, "W1 consume: %d msgs (%d distinct) in %.2f s = %.0f msgs/s (%s); "
                + "exactly %d consumed: %s%n", consumed.get(), seen.size(), consumeSeconds, consumed.get() / consumeSeconds,
                cpuPerMessage(cpu2 - cpu1, diff(server1, server2), total), total, consumed.get() == total && seen.size() == total);
        if (consumed.get() != total || seen.size() != total) {
            throw new IllegalStateException("W1 consumed " + consumed.get() + " messages (" + seen.size() + " distinct), not " + total);
        }
        return new double[] {total / enqueueSeconds, consumed.get() / consumeSeconds};
    }

    /**
     * Drains {@code queue} with {@link #CONSUMERS} threads, each receiving up to 10 and deleting
     * every batch after {@code onBatch} has seen it, until {@code total} messages were consumed or
     * the queue is empty; returns the seconds it took.
     */
    private static double consume(ExecutorService pool, MessageQueue queue, long total, AtomicLong consumed,
            Consumer<List<ReceivedMessage>> onBatch) throws Exception {
        long start = System.nanoTime();
        List<Future<?>> consumers = new ArrayList<>();
        for (int c = 0; c < CONSUMERS; c++) {
            consumers.add(pool.submit(() -> {
                while (consumed.get() < total) {
                    List<ReceivedMessage> got = queue.receive(ReceiveRequest.of(10));
                    if (got.isEmpty()) {
                        if (queue.stats().total() == 0) {
                            return null;
                        }
                        continue;
                    }
                    onBatch.accept(got);
                    consumed.addAndGet(got.size());
                    queue.deleteBatch(got.stream().map(ReceivedMessage::receipt).toList());
                }
                return null;
            }));
        }
        for (Future<?> f : consumers) {
            f.get();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Returns p50, p95 and p99 latency in ms. */
    static double[] w2(MessageQueue queue) throws Exception {
        int total = 2_000;
        long[] latencies = new long[total];
        AtomicInteger received = new AtomicInteger();
        Thread consumer = new Thread(() -> {
            while (received.get() < total) {
                List<ReceivedMessage> got = queue.receive(ReceiveRequest.of(10, Duration.ofSeconds(20)));
                long now = System.nanoTime();
                for (ReceivedMessage m : got) {
                    String[] parts = m.body().split(":", 3);
                    latencies[Integer.parseInt(parts[0])] = now - Long.parseLong(parts[1]);
                    received.incrementAndGet();
                }
                if (!got.isEmpty()) {
                    queue.deleteBatch(got.stream().map(ReceivedMessage::receipt).toList());
                }
            }
        }, "w2-consumer");
        consumer.start();
        // let the consumer start its first long poll
        Thread.sleep(500);
        long next = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            queue.send(OutgoingMessage.of(i + ":" + System.nanoTime() + ":" + "x".repeat(200)));
            next += 5_000_000;
        }
        consumer.join();
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "W2 latency over %d msgs: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n", total,
                sorted[total / 2] / 1e6, sorted[(int) (total * 0.95)] / 1e6, sorted[(int) (total * 0.99)] / 1e6,
                sorted[total - 1] / 1e6);
        return new double[] {sorted[total / 2] / 1e6, sorted[(int) (total * 0.95)] / 1e6, sorted[(int) (total * 0.99)] / 1e6};
    }

    /** Returns enqueue and consume msgs/s, and the order violations. */
    static double[] w3(MessageQueue queue) throws Exception {
        int groups = 100;
        int perGroup = 1_000;
        int total = groups * perGroup;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(PRODUCERS, CONSUMERS));
        long cpu0 = Measurements.processCpuNanos();
        long server0 = serverCpuNanos();
        long start = System.nanoTime();
        long run = start;
        List<Future<?>> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(pool.submit(() -> {
                // each producer owns whole groups, so that each group's order is the send order
                for (int g = producer; g < groups; g += PRODUCERS) {
                    for (int i = 0; i < perGroup; i += 10) {
                        List<OutgoingMessage> batch = new ArrayList<>(10);
                        for (int j = i; j < i + 10; j++) {
                            batch.add(OutgoingMessage.builder(g + ":" + j + ":" + "x".repeat(240)).groupId("g" + g)
                                    .deduplicationId(g + "-" + j + "-" + run).build());
                        }
                        if (!queue.sendBatch(batch).allSucceeded()) {
                            throw new IllegalStateException("a send failed");
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : producers) {
            f.get();
        }
        double enqueueSeconds = (System.nanoTime() - start) / 1e9;
        long cpu1 = Measurements.processCpuNanos();
        long server1 = serverCpuNanos();
        int[] expected = new int[groups];
        AtomicLong violations = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        double consumeSeconds = consume(pool, queue, total, consumed, got -> {
            synchronized (expected) {
                for (ReceivedMessage m : got) {
                    String[] parts = m.body().split(":", 3);
                    int g = Integer.parseInt(parts[0]);
                    int i = Integer.parseInt(parts[1]);
                    if (i != expected[g]) {
                        violations.incrementAndGet();
                    }
                    expected[g] = i + 1;
                }
            }
        });
        long cpu2 = Measurements.processCpuNanos();
        long server2 = serverCpuNanos();
        pool.shutdown();
        System.out.printf(Locale.ROOT, "W3 FIFO enqueue: %d msgs in %.2f s = %.0f msgs/s (%s)%n", total,
                enqueueSeconds, total / enqueueSeconds, cpuPerMessage(cpu1 - cpu0, diff(server0, server1), total));
        System.out.printf(Locale.ROOT, "W3 FIFO consume: %d msgs in %.2f s = %.0f msgs/s (%s); "
                + "order violations: %d%n", consumed.get(), consumeSeconds, consumed.get() / consumeSeconds,
                cpuPerMessage(cpu2 - cpu1, diff(server1, server2), total), violations.get());
        return new double[] {total / enqueueSeconds, consumed.get() / consumeSeconds, violations.get()};
    }

    /** Returns p50 and p99 of a receive among blocked groups, in ms. */
    static double[] w4(MessageQueue queue) {
        int groups = 10_000;
        int open = 100;
        for (int g = 0; g < groups; g++) {
            List<OutgoingMessage> batch = new ArrayList<>(2);
            for (int j = 0; j < 2; j++) {
                batch.add(OutgoingMessage.builder("w4:" + g + ":" + j).groupId("b" + g)
                        .deduplicationId("w4-" + g + "-" + j + "-" + System.nanoTime()).build());
            }
            queue.sendBatch(batch);
        }
        // take every group's messages except those of `open` groups: those groups are in flight
        int inFlight = 0;
        while (inFlight < (groups - open) * 2) {
            List<ReceivedMessage> got = queue.receive(ReceiveRequest.of(10));
            inFlight += got.size();
            if (got.isEmpty()) {
                break;
            }
        }
        // what remains are `open` groups; time single receives among the blocked ones
        long[] times = new long[open];
        int n = 0;
        for (int i = 0; i < open; i++) {
            long t0 = System.nanoTime();
            List<ReceivedMessage> got = queue.receive(ReceiveRequest.of(1));
            times[i] = System.nanoTime() - t0;
            if (!got.isEmpty()) {
                n++;
            }
        }
        Arrays.sort(times);
        System.out.printf(Locale.ROOT, "W4 %d groups, %d messages in flight: %d receives that found a message, "
                + "p50 %.2f ms, p99 %.2f ms%n", groups, inFlight, n, times[open / 2] / 1e6, times[open * 99 / 100] / 1e6);
        return new double[] {times[open / 2] / 1e6, times[open * 99 / 100] / 1e6};
    }
}
