package io.github.mq4j.examples.bench;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.QueueStats;
import io.github.mq4j.Topology;
import io.github.mq4j.examples.EmbeddedElasticMq;
import io.github.mq4j.sqs.SqsBackendProvider;
import io.github.mq4j.sqs.SqsProvisioner;
import io.github.mq4j.testkit.reliability.FaultProxy;
import io.github.mq4j.testkit.reliability.MessageLedger;
import io.github.mq4j.testkit.reliability.Producers;
import io.github.mq4j.worker.MessageHandler;
import io.github.mq4j.worker.SubscriptionOptions;
import io.github.mq4j.worker.Worker;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Soak: mixed traffic for a long time with periodic network faults, every message accounted for.
 * Producers send to a standard queue (two threads) and to a FIFO queue (one thread, eight
 * groups), singles and batches of five; one {@link Worker} consumes both. The client reaches its
 * server through a {@link FaultProxy}, which every {@code BENCH_FAULT_EVERY_SECONDS} injects the
 * next fault in turn: five seconds of connection cuts every 300–500 ms, a 10-second outage (new
 * connections refused, open ones cut), ten seconds of 50 ms latency each way.
 *
 * <p>Prints a line per interval (throughput of confirmed sends and of first handlings, failed
 * sends, duplicates so far, the fault in effect), and at the end, after the producers stop and
 * the queues drain, per queue: messages sent, handled, duplicated, lost (must be 0) and FIFO
 * order violations (must be 0); for PostgreSQL also the size of the message table and of its
 * indexes at the start and at the end. Exits with status 1 if anything was lost or out of order.
 *
 * <pre>
 * BENCH_SECONDS=180 MESSAGE_QUEUE_TYPE=postgres mvn -q -pl examples -am compile exec:java \
 *     -Dexec.mainClass=io.github.mq4j.examples.bench.SoakBenchmark
 * </pre>
 *
 * <p>Settings (environment): {@code MESSAGE_QUEUE_TYPE} {@code postgres} (the default) or
 * {@code sqs} (an embedded ElasticMQ); for PostgreSQL {@code MESSAGE_QUEUE_POSTGRES_URL} (a JDBC
 * URL, default {@code jdbc:postgresql://127.0.0.1:5432/test}), {@code MESSAGE_QUEUE_POSTGRES_USER}
 * (default {@code postgres}) and {@code _PASSWORD}, schema {@code mq4j_soak}, dropped at the start;
 * {@code BENCH_SECONDS} (default 1800), {@code BENCH_INTERVAL_SECONDS} (default 10),
 * {@code BENCH_FAULT_EVERY_SECONDS} (default 60), {@code BENCH_SEND_PAUSE_MILLIS} (each producer's
 * pause after a send, default 2).
 */
public final class SoakBenchmark {
    private static final String QUEUE = "soak";
    private static final String FIFO_QUEUE = "soak.fifo";
    private static final String SCHEMA = "mq4j_soak";
    private static final Duration VISIBILITY = Duration.ofSeconds(10);
    private static final Duration DRAIN_DEADLINE = Duration.ofMinutes(3);
    private static final Pattern JDBC_HOST_PORT = Pattern.compile("//(\\[[^]]+]|[^/:?\\[]+)(?::(\\d+))?");

    private SoakBenchmark() {}

    /** The faults injected in turn. */
    private enum Fault {
        CUTS("cuts every 300-500 ms for 5 s"),
        OUTAGE("server unreachable for 10 s"),
        LATENCY("50 ms latency each way for 10 s");

        final String description;

        Fault(String description) {
            this.description = description;
        }
    }

    public static void main(String[] args) throws Exception {
        ConfigSource env = ConfigSource.environment();
        String type = env.get("MESSAGE_QUEUE_TYPE").orElse("postgres").toLowerCase(Locale.ROOT);
        Duration total = Duration.ofSeconds(Long.parseLong(env.get("BENCH_SECONDS").orElse("1800")));
        Duration interval = Duration.ofSeconds(Long.parseLong(env.get("BENCH_INTERVAL_SECONDS").orElse("10")));
        Duration faultEvery = Duration.ofSeconds(Long.parseLong(env.get("BENCH_FAULT_EVERY_SECONDS").orElse("60")));
        Duration sendPause = Duration.ofMillis(Long.parseLong(env.get("BENCH_SEND_PAUSE_MILLIS").orElse("2")));
        Topology topology = Topology.of(
                QueueSpec.standard(QUEUE).visibilityTimeout(VISIBILITY).build(),
                QueueSpec.fifo(FIFO_QUEUE).visibilityTimeout(VISIBILITY).build());

        boolean clean = switch (type) {
            case "postgres" -> soakPostgres(env, topology, total, interval, faultEvery, sendPause);
            case "sqs" -> soakSqs(topology, total, interval, faultEvery, sendPause);
            default -> throw new IllegalArgumentException("MESSAGE_QUEUE_TYPE is '" + type + "'; the soak runs on postgres or sqs");
        };
        System.exit(clean ? 0 : 1);
    }

    // ---------------------------------------------------------------- backends

    private static boolean soakPostgres(ConfigSource env, Topology topology, Duration total, Duration interval,
            Duration faultEvery, Duration sendPause) throws Exception {
        String url = env.get("MESSAGE_QUEUE_POSTGRES_URL").orElse("jdbc:postgresql://127.0.0.1:5432/test");
        Properties credentials = new Properties();
        credentials.setProperty("user", env.get("MESSAGE_QUEUE_POSTGRES_USER").orElse("postgres"));
        env.get("MESSAGE_QUEUE_POSTGRES_PASSWORD").ifPresent(p -> credentials.setProperty("password", p));
        Matcher m = JDBC_HOST_PORT.matcher(url);
        if (!url.startsWith("jdbc:postgresql:") || !m.find()) {
            throw new IllegalArgumentException("MESSAGE_QUEUE_POSTGRES_URL must be a JDBC URL with a host: jdbc:postgresql://host:port/db");
        }
        String host = m.group(1);
        int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        try (Connection admin = DriverManager.getConnection(url, credentials); FaultProxy proxy = FaultProxy.start(host, port)) {
            try (Statement st = admin.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
            Map<String, String> config = new HashMap<>();
            config.put("MESSAGE_QUEUE_POSTGRES_URL", m.replaceFirst(Matcher.quoteReplacement("//" + proxy.host() + ":" + proxy.port())));
            config.put("MESSAGE_QUEUE_POSTGRES_USER", credentials.getProperty("user"));
            if (credentials.getProperty("password") != null) {
                config.put("MESSAGE_QUEUE_POSTGRES_PASSWORD", credentials.getProperty("password"));
            }
            config.put("MESSAGE_QUEUE_POSTGRES_SCHEMA", SCHEMA);
            try (QueueClient client = QueueFactory.builder().type("postgres").topology(topology)
                    .config(ConfigSource.of(config)).build()) {
                String sizesAtStart = sizes(admin);
                boolean clean = soak("postgres", client, proxy, total, interval, faultEvery, sendPause);
                System.out.println("message table at the start: " + sizesAtStart);
                System.out.println("message table at the end:   " + sizes(admin));
                return clean;
            }
        }
    }

    /** The size of the schema's message table (heap), of its indexes, and its live and dead rows. */
    private static String sizes(Connection admin) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT pg_relation_size(c.oid), pg_indexes_size(c.oid), "
                + "pg_total_relation_size(c.oid), s.n_live_tup, s.n_dead_tup FROM pg_class c "
                + "JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = ?::regclass")) {
            ps.setString(1, SCHEMA + ".message");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return String.format(Locale.ROOT, "table %s, indexes %s, total %s (%d live rows, %d dead)",
                        kib(rs.getLong(1)), kib(rs.getLong(2)), kib(rs.getLong(3)), rs.getLong(4), rs.getLong(5));
            }
        }
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%,d KiB", bytes / 1024);
    }

    private static boolean soakSqs(Topology topology, Duration total, Duration interval, Duration faultEvery,
            Duration sendPause) throws Exception {
        // the backend's own client takes region and credentials from the SDK's default chains
        System.setProperty("aws.region", System.getProperty("aws.region", "us-east-1"));
        System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "soak"));
        System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "soak"));
        try (EmbeddedElasticMq server = EmbeddedElasticMq.start();
                FaultProxy proxy = FaultProxy.start(server.endpoint().getHost(), server.endpoint().getPort())) {
            SqsProvisioner.builder().client(server.sqs()).queueNamePrefix("soak-").build().provision(topology);
            Map<String, String> config = Map.of(
                    SqsBackendProvider.ENDPOINT, "http://" + proxy.host() + ":" + proxy.port(),
                    SqsBackendProvider.QUEUE_PREFIX, "soak-");
            try (QueueClient client = QueueFactory.builder().type("sqs").topology(topology).config(config).build()) {
                return soak("sqs on embedded ElasticMQ", client, proxy, total, interval, faultEvery, sendPause);
            }
        }
    }

    // ---------------------------------------------------------------- the soak

    private static boolean soak(String backend, QueueClient client, FaultProxy proxy, Duration total, Duration interval,
            Duration faultEvery, Duration sendPause) {
        MessageQueue standard = client.queue(QUEUE);
        MessageQueue fifo = client.queue(FIFO_QUEUE);
        MessageLedger standardLedger = new MessageLedger("soak");
        MessageLedger fifoLedger = new MessageLedger("soakfifo");
        Worker worker = Worker.builder().name("soak").pollWaitTime(Duration.ofSeconds(5))
                .subscribe(standard, handler(standardLedger), SubscriptionOptions.builder().concurrency(10).build())
                .subscribe(fifo, handler(fifoLedger), SubscriptionOptions.builder().concurrency(10).build())
                .build();
        worker.start();
        System.out.printf(Locale.ROOT, "soak on %s for %d s through %s; a fault every %d s; %d cores%n", backend,
                total.toSeconds(), proxy, faultEvery.toSeconds(), Runtime.getRuntime().availableProcessors());
        System.out.println("    t  sent/s  handled/s  fifo sent/s  fifo handled/s  failed sends  duplicates  fault");
        long start = System.nanoTime();
        try (Producers standardProducers = Producers.start(standard, standardLedger, 2, 0, sendPause);
                Producers fifoProducers = Producers.start(fifo, fifoLedger, 1, 8, sendPause)) {
            FaultThread faults = new FaultThread(proxy, faultEvery);
            faults.start();
            long[] last = {0, 0, 0, 0};
            long next = start + interval.toNanos();
            while (next - start <= total.toNanos()) {
                sleepUntil(next);
                long[] now = {standardProducers.confirmed(), standardLedger.handledCount(), fifoProducers.confirmed(),
                        fifoLedger.handledCount()};
                double secs = interval.toNanos() / 1e9;
                System.out.printf(Locale.ROOT, "%5d  %6.0f  %9.0f  %11.0f  %14.0f  %12d  %10d  %s%n",
                        (next - start) / 1_000_000_000L, (now[0] - last[0]) / secs, (now[1] - last[1]) / secs,
                        (now[2] - last[2]) / secs, (now[3] - last[3]) / secs,
                        standardProducers.failed() + fifoProducers.failed(),
                        standardLedger.report().duplicates() + fifoLedger.report().duplicates(), faults.current());
                last = now;
                next += interval.toNanos();
            }
            faults.interrupt();
            joinQuietly(faults);
            proxy.latency(Duration.ZERO);
            proxy.pass();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("producers stopped; draining ...");
        boolean drained = await(() -> standardLedger.allSentHandled() && fifoLedger.allSentHandled()
                && empty(standard) && empty(fifo), DRAIN_DEADLINE);
        worker.close();
        boolean clean = drained;
        for (MessageLedger ledger : List.of(standardLedger, fifoLedger)) {
            MessageLedger.Report r = ledger.report();
            // A body handled twice at once is two messages with one body: a send the SDK retried after
            // SQS had stored it. At-least-once allows that on a standard queue, so it is reported, not failed.
            System.out.printf(Locale.ROOT, "%-9s sent %d (%.0f/s), handled %d, duplicates %d, lost %d, order violations %d;"
                    + " failed sends %d, of which handled %d; bodies handled twice at once %d%n",
                    ledger == standardLedger ? QUEUE : FIFO_QUEUE, r.sent(), r.sent() / seconds, r.handled(),
                    r.duplicates(), r.lost().size(), r.orderViolations().size(), r.uncertain(), r.uncertainHandled(),
                    r.concurrentHandlings().size());
            boolean ok = r.lost().isEmpty() && r.orderViolations().isEmpty() && r.foreign().isEmpty();
            if (!ok) {
                System.out.println("    problems: " + r);
            }
            clean &= ok;
        }
        System.out.printf(Locale.ROOT, "proxy: %d connections accepted, %d cut%s%n", proxy.accepted(), proxy.cut(),
                drained ? "" : "; the queues did NOT drain within " + DRAIN_DEADLINE.toMinutes() + " min");
        System.out.println(clean ? "RESULT: nothing lost, no FIFO order broken" : "RESULT: FAILED");
        return clean;
    }

    private static MessageHandler handler(MessageLedger ledger) {
        return (m, c) -> {
            ledger.begin(m.body());
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 3));
            } finally {
                ledger.end(m.body());
            }
        };
    }

    /** Injects the faults in turn, one every {@code every}, until interrupted. */
    private static final class FaultThread extends Thread {
        private final FaultProxy proxy;
        private final Duration every;
        private volatile String current = "-";

        FaultThread(FaultProxy proxy, Duration every) {
            super("soak-faults");
            setDaemon(true);
            this.proxy = proxy;
            this.every = every;
        }

        String current() {
            return current;
        }

        @Override
        public void run() {
            try {
                for (int n = 0; ; n++) {
                    Thread.sleep(every.toMillis());
                    Fault fault = Fault.values()[n % Fault.values().length];
                    current = fault.description;
                    switch (fault) {
                        case CUTS -> proxy.cutRepeatedly(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMillis(500));
                        case OUTAGE -> proxy.outage(Duration.ofSeconds(10));
                        case LATENCY -> {
                            proxy.latency(Duration.ofMillis(50));
                            Thread.sleep(10_000);
                            proxy.latency(Duration.ZERO);
                        }
                    }
                    current = "-";
                }
            } catch (InterruptedException e) {
                current = "-";
            }
        }
    }

    private static boolean empty(MessageQueue queue) {
        QueueStats s = queue.stats();
        return s.visible() + s.inFlight() + s.delayed() == 0;
    }

    private static boolean await(BooleanSupplier condition, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (RuntimeException e) {
                // the server may still be coming back: look again
            }
            sleepUntil(System.nanoTime() + 200_000_000L);
        }
        return false;
    }

    private static void sleepUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
