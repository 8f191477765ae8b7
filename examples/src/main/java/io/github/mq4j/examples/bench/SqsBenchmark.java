package io.github.mq4j.examples.bench;

import io.github.mq4j.BatchResult;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.Topology;
import io.github.mq4j.examples.EmbeddedElasticMq;
import io.github.mq4j.sqs.ProvisioningReport;
import io.github.mq4j.sqs.SqsBackendProvider;
import io.github.mq4j.sqs.SqsProvisioner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The SQS backend against the raw AWS SDK, both on an embedded ElasticMQ, in one run:
 *
 * <ul>
 * <li>W1 — enqueue N (default 100,000) 256-byte messages in batches of 10 from 4 threads, then
 *     consume them all with 4 consumers that receive up to 10 and delete each batch in one
 *     request; throughput, and an exact count check (every message once).</li>
 * <li>W2 — one producer sends a message every 5 ms (2,000 messages), one consumer long-polls;
 *     p50/p95/p99 of send-to-receive latency.</li>
 * <li>Single-message sends from 16 threads, with and without mq4j's automatic batching.</li>
 * </ul>
 *
 * Run: {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=io.github.mq4j.examples.bench.SqsBenchmark
 * [-Dexec.args="--messages 100000"]}. Numbers depend on the machine; see docs/benchmarks.md.
 */
public final class SqsBenchmark {
    private static final int BODY_BYTES = 256;
    private static final int THREADS = 4;
    private static final Duration VISIBILITY = Duration.ofSeconds(120);

    private final EmbeddedElasticMq elasticMq;
    private final SqsClient sqs;
    private final AtomicInteger prefixes = new AtomicInteger();

    private SqsBenchmark(EmbeddedElasticMq elasticMq) {
        this.elasticMq = elasticMq;
        this.sqs = elasticMq.sqs();
    }

    public static void main(String[] args) throws Exception {
        int messages = 100_000;
        int w2Messages = 2_000;
        int singles = 20_000;
        int rounds = 2;
        boolean onlySingles = false;
        for (int i = 0; i < args.length - 1; i += 2) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[i + 1]);
                case "--w2-messages" -> w2Messages = Integer.parseInt(args[i + 1]);
                case "--singles" -> singles = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--only" -> onlySingles = "singles".equals(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        try (EmbeddedElasticMq elasticMq = EmbeddedElasticMq.start()) {
            SqsBenchmark bench = new SqsBenchmark(elasticMq);
            System.out.printf(Locale.ROOT, "SQS benchmark on embedded ElasticMQ at %s, %d cores%n", elasticMq.endpoint(),
                    Runtime.getRuntime().availableProcessors());
            if (onlySingles) {
                bench.singlesRounds(singles, rounds);
                return;
            }
            // A warm-up round of each side at full size, not counted: with a short one, ElasticMQ
            // and the JIT were still speeding up in the first timed round (3,583 msg/s raw in the
            // first timed round, 11,233 in the second), which favoured whichever side ran later.
            System.out.println("warm-up (not counted) ...");
            bench.w1Raw(messages);
            bench.w1Backend(messages);
            bench.w2Raw(200);
            bench.w2Backend(200);

            // Alternate which side goes first, so that drift in the machine's load (the CPU is shared)
            // does not favour one side; the ratio is of the summed times.
            double rawSeconds = 0;
            double libSeconds = 0;
            double[] rawP50 = new double[rounds];
            double[] libP50 = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    rawSeconds += messages / bench.w1Raw(messages);
                    libSeconds += messages / bench.w1Backend(messages);
                } else {
                    libSeconds += messages / bench.w1Backend(messages);
                    rawSeconds += messages / bench.w1Raw(messages);
                }
            }
            double raw = rounds * messages / rawSeconds;
            double lib = rounds * messages / libSeconds;
            System.out.printf(Locale.ROOT, "W1  raw SDK %,.0f msg/s | mq4j %,.0f msg/s | ratio %.2f (%d rounds)%n", raw, lib,
                    lib / raw, rounds);

            double[] rawLatency = null;
            double[] libLatency = null;
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    rawLatency = bench.w2Raw(w2Messages);
                    libLatency = bench.w2Backend(w2Messages);
                } else {
                    libLatency = bench.w2Backend(w2Messages);
                    rawLatency = bench.w2Raw(w2Messages);
                }
                rawP50[r] = rawLatency[0];
                libP50[r] = libLatency[0];
            }
            System.out.printf(Locale.ROOT, "W2  raw SDK p50 %.2f p95 %.2f p99 %.2f ms | mq4j p50 %.2f p95 %.2f p99 %.2f ms"
                    + " (last round) | p50 per round raw %s, mq4j %s%n", rawLatency[0], rawLatency[1], rawLatency[2],
                    libLatency[0], libLatency[1], libLatency[2], Arrays.toString(rawP50), Arrays.toString(libP50));

            bench.singlesRounds(singles, rounds);
        }
    }

    private static String body(int n) {
        String number = Integer.toString(n);
        return number + ":" + "x".repeat(BODY_BYTES - number.length() - 1);
    }

    private static int number(String body) {
        return Integer.parseInt(body.substring(0, body.indexOf(':')));
    }

    private static long nanoBody(String body) {
        return Long.parseLong(body.substring(0, body.indexOf(':')));
    }

    private QueueClient open(Map<String, String> extra) {
        String prefix = "b" + prefixes.incrementAndGet() + "-";
        return elasticMq.open(Topology.of(QueueSpec.standard("bench").visibilityTimeout(VISIBILITY).build()), prefix, extra);
    }

    private String rawQueue() {
        String prefix = "r" + prefixes.incrementAndGet() + "-";
        ProvisioningReport report = SqsProvisioner.builder().client(sqs).queueNamePrefix(prefix).build()
                .provision(Topology.of(QueueSpec.standard("bench").visibilityTimeout(VISIBILITY).build()));
        return report.queues().get(0).url();
    }

    // ---------------------------------------------------------------- W1

    private double w1Raw(int total) throws Exception {
        String url = rawQueue();
        long start = System.nanoTime();
        parallel(THREADS, t -> {
            for (int first = t * 10; first < total; first += THREADS * 10) {
                sendRawBatch(url, first, Math.min(total, first + 10));
            }
            return null;
        });
        BitSet seen = new BitSet(total);
        AtomicInteger received = new AtomicInteger();
        parallel(THREADS, t -> {
            while (received.get() < total) {
                List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                if (got.isEmpty()) {
                    continue;
                }
                List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(got.size());
                for (int i = 0; i < got.size(); i++) {
                    deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(got.get(i).receiptHandle()).build());
                    mark(seen, number(got.get(i).body()));
                }
                sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(deletes));
                received.addAndGet(got.size());
            }
            return null;
        });
        return report("W1 raw SDK", total, start, seen, received.get());
    }

    private double w1Backend(int total) throws Exception {
        try (QueueClient client = open(Map.of())) {
            MessageQueue q = client.queue("bench");
            long start = System.nanoTime();
            parallel(THREADS, t -> {
                for (int first = t * 10; first < total; first += THREADS * 10) {
                    List<OutgoingMessage> batch = new ArrayList<>(10);
                    for (int n = first; n < Math.min(total, first + 10); n++) {
                        batch.add(OutgoingMessage.of(body(n)));
                    }
                    if (!q.sendBatch(batch).allSucceeded()) {
                        throw new IllegalStateException("send failed");
                    }
                }
                return null;
            });
            BitSet seen = new BitSet(total);
            AtomicInteger received = new AtomicInteger();
            ReceiveRequest request = ReceiveRequest.of(10, Duration.ofSeconds(1));
            parallel(THREADS, t -> {
                while (received.get() < total) {
                    List<ReceivedMessage> got = q.receive(request);
                    if (got.isEmpty()) {
                        continue;
                    }
                    List<String> receipts = new ArrayList<>(got.size());
                    for (ReceivedMessage m : got) {
                        receipts.add(m.receipt());
                        mark(seen, number(m.body()));
                    }
                    BatchResult<String> deleted = q.deleteBatch(receipts);
                    if (!deleted.allSucceeded()) {
                        throw new IllegalStateException("delete failed");
                    }
                    received.addAndGet(got.size());
                }
                return null;
            });
            return report("W1 mq4j", total, start, seen, received.get());
        }
    }

    private static void mark(BitSet seen, int n) {
        synchronized (seen) {
            if (seen.get(n)) {
                throw new IllegalStateException("message " + n + " received twice");
            }
            seen.set(n);
        }
    }

    private static double report(String what, int total, long start, BitSet seen, int received) {
        double seconds = (System.nanoTime() - start) / 1e9;
        if (seen.cardinality() != total || received != total) {
            throw new IllegalStateException(what + ": expected " + total + " distinct messages, got " + seen.cardinality()
                    + " distinct of " + received);
        }
        double rate = total / seconds;
        System.out.printf(Locale.ROOT, "  %-12s %,d messages sent and consumed in %.2f s: %,.0f msg/s (count exact)%n", what,
                total, seconds, rate);
        return rate;
    }

    // ---------------------------------------------------------------- W2

    private double[] w2Raw(int total) throws Exception {
        String url = rawQueue();
        return latency("W2 raw SDK", total,
                n -> sqs.sendMessage(b -> b.queueUrl(url).messageBody(System.nanoTime() + ":" + "x".repeat(200))),
                () -> {
                    List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(20)).messages();
                    long now = System.nanoTime();
                    long[] sent = new long[got.size()];
                    List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(got.size());
                    for (int i = 0; i < got.size(); i++) {
                        sent[i] = now - nanoBody(got.get(i).body());
                        deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(got.get(i).receiptHandle()).build());
                    }
                    if (!deletes.isEmpty()) {
                        sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(deletes));
                    }
                    return sent;
                });
    }

    private double[] w2Backend(int total) throws Exception {
        try (QueueClient client = open(Map.of())) {
            MessageQueue q = client.queue("bench");
            ReceiveRequest request = ReceiveRequest.of(10, Duration.ofSeconds(20));
            return latency("W2 mq4j", total, n -> q.send(System.nanoTime() + ":" + "x".repeat(200)), () -> {
                List<ReceivedMessage> got = q.receive(request);
                long now = System.nanoTime();
                long[] sent = new long[got.size()];
                List<String> receipts = new ArrayList<>(got.size());
                for (int i = 0; i < got.size(); i++) {
                    sent[i] = now - nanoBody(got.get(i).body());
                    receipts.add(got.get(i).receipt());
                }
                if (!receipts.isEmpty()) {
                    q.deleteBatch(receipts);
                }
                return sent;
            });
        }
    }

    private interface Send {
        void send(int n) throws Exception;
    }

    private static double[] latency(String what, int total, Send send, Callable<long[]> receive) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "bench-w2"));
        try {
            Future<long[]> consumer = pool.submit(() -> {
                long[] latencies = new long[total];
                int count = 0;
                while (count < total) {
                    for (long l : receive.call()) {
                        latencies[count++] = l;
                    }
                }
                return latencies;
            });
            long next = System.nanoTime();
            for (int n = 0; n < total; n++) {
                next += 5_000_000L;
                send.send(n);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                }
            }
            long[] latencies = consumer.get();
            Arrays.sort(latencies);
            double[] p = {latencies[(int) (total * 0.50)] / 1e6, latencies[(int) (total * 0.95)] / 1e6,
                latencies[Math.min(total - 1, (int) (total * 0.99))] / 1e6};
            System.out.printf(Locale.ROOT, "  %-12s %,d messages, one every 5 ms: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms%n", what,
                    total, p[0], p[1], p[2]);
            return p;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- single sends

    /** Single sends with and without batching, alternating which goes first; the ratio is of the summed times. */
    private void singlesRounds(int total, int rounds) throws Exception {
        // Two warm-up rounds of each side at full size, not counted: ElasticMQ and the JIT get
        // faster round after round (unbatched 40,000 sends: 3,400, 8,500, 8,900 msg/s), and a
        // shorter warm-up left that drift in the first timed rounds.
        System.out.println("  singles warm-up (not counted):");
        for (int r = 0; r < 2; r++) {
            singles(total, false);
            singles(total, true);
        }
        double unbatchedSeconds = 0;
        double batchedSeconds = 0;
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                unbatchedSeconds += total / singles(total, false);
                batchedSeconds += total / singles(total, true);
            } else {
                batchedSeconds += total / singles(total, true);
                unbatchedSeconds += total / singles(total, false);
            }
        }
        double unbatched = rounds * total / unbatchedSeconds;
        double batched = rounds * total / batchedSeconds;
        System.out.printf(Locale.ROOT, "16-thread single sends: without batching %,.0f msg/s | with %,.0f msg/s | ratio %.2f"
                + " (%d rounds)%n", unbatched, batched, batched / unbatched, rounds);
        // What this server allows batching, with the raw SDK: 16 threads sending one message per
        // request, against 16 threads each sending full batches of 10 (160 messages in flight), and
        // against 2 threads sending batches of 8: the 16 messages that 16 blocking callers can have
        // in flight, in the fewest requests, with no cost of gathering them
        double rawSingle = rawSends(total, 1, 16);
        double rawFull = rawSends(total, 10, 16);
        double rawSixteen = rawSends(total, 8, 2);
        System.out.printf(Locale.ROOT, "ceilings, raw SDK: 16 threads x 1 message per request %,.0f msg/s | 16 x 10 %,.0f msg/s"
                + " (ratio %.2f) | 2 x 8 %,.0f msg/s (ratio %.2f)%n", rawSingle, rawFull, rawFull / rawSingle, rawSixteen,
                rawSixteen / rawSingle);
    }

    /** The raw SDK: sends messages {@code from} to {@code to} (exclusive) in one SendMessageBatch request. */
    private void sendRawBatch(String url, int from, int to) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(to - from);
        for (int n = from; n < to; n++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(n - from)).messageBody(body(n)).build());
        }
        if (!sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).failed().isEmpty()) {
            throw new IllegalStateException("a raw batch send failed");
        }
    }

    /** The raw SDK: {@code threads} threads send {@code total} messages, {@code perRequest} per request; returns msg/s. */
    private double rawSends(int total, int perRequest, int threads) throws Exception {
        String url = rawQueue();
        AtomicInteger next = new AtomicInteger();
        long cpu0 = Measurements.processCpuNanos();
        long start = System.nanoTime();
        parallel(threads, t -> {
            for (int first = next.getAndAdd(perRequest); first < total; first = next.getAndAdd(perRequest)) {
                if (perRequest == 1) {
                    String body = body(first);
                    sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
                } else {
                    sendRawBatch(url, first, Math.min(total, first + perRequest));
                }
            }
            return null;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "  raw SDK %2d per request: %,d sends from %d threads in %.2f s: %,.0f msg/s"
                + " (CPU per message, client and ElasticMQ: %.0f µs)%n", perRequest, total, threads, seconds, total / seconds,
                (Measurements.processCpuNanos() - cpu0) / 1e3 / total);
        return total / seconds;
    }

    private double singles(int total, boolean autoBatch) throws Exception {
        try (QueueClient client = open(Map.of(SqsBackendProvider.AUTO_BATCH, Boolean.toString(autoBatch)))) {
            MessageQueue q = client.queue("bench");
            AtomicInteger next = new AtomicInteger();
            long cpu0 = Measurements.processCpuNanos();
            long start = System.nanoTime();
            parallel(16, t -> {
                for (int n = next.getAndIncrement(); n < total; n = next.getAndIncrement()) {
                    q.send(body(n));
                }
                return null;
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMicros = (Measurements.processCpuNanos() - cpu0) / 1e3 / total;
            long stored = q.stats().total();
            if (stored != total) {
                throw new IllegalStateException("expected " + total + " messages in the queue, found " + stored);
            }
            double rate = total / seconds;
            System.out.printf(Locale.ROOT, "  singles %-16s %,d sends from 16 threads in %.2f s: %,.0f msg/s"
                    + " (CPU per message, client and ElasticMQ: %.0f µs)%n", autoBatch ? "auto-batched" : "unbatched", total,
                    seconds, rate, cpuMicros);
            return rate;
        }
    }


    private interface Task {
        Object run(int thread) throws Exception;
    }

    private static void parallel(int threads, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> new Thread(r, "bench-worker"));
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> task.run(thread)));
            }
            for (Future<Object> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
