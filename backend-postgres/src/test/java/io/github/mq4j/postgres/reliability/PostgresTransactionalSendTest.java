package io.github.mq4j.postgres.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.Topology;
import io.github.mq4j.postgres.PostgresTestSupport;
import io.github.mq4j.postgres.TransactionalSender;
import io.github.mq4j.testkit.reliability.MessageLedger;
import io.github.mq4j.worker.MessageHandler;
import io.github.mq4j.worker.SubscriptionOptions;
import io.github.mq4j.worker.Worker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Transactional sends ({@link TransactionalSender}) under load: producers run many transactions in
 * parallel, each inserting a row into the application's own table and sending one message to a
 * standard and one to a FIFO queue (a group per producer); a random half commits, a quarter rolls
 * back, a quarter fails midway (a unique violation in the application's table after the sends).
 * A worker long-polls both queues meanwhile. Every committed message is handled exactly once, in
 * order within its group; no message of a rolled-back or failed transaction is ever handled; the
 * application's rows match the committed messages. The report, with the time from commit to
 * handling, is printed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresTransactionalSendTest {
    private static final String OUTBOX = "outbox";
    private static final String OUTBOX_FIFO = "outbox.fifo";
    private static final Topology TOPOLOGY = Topology.of(
            QueueSpec.standard(OUTBOX).build(),
            QueueSpec.fifo(OUTBOX_FIFO).contentBasedDeduplication(true).build());
    private static final int PRODUCERS = 4;
    private static final Duration POLL_WAIT = Duration.ofSeconds(3);
    private static final int TRANSACTIONS_PER_PRODUCER = 40;

    private enum Outcome { COMMIT, ROLLBACK, FAIL }

    private final String schema = PostgresTestSupport.newSchema("txreliability");
    private QueueClient client;
    private Worker worker;

    @BeforeEach
    void open() throws SQLException {
        client = QueueFactory.builder().type("postgres").topology(TOPOLOGY).config(PostgresTestSupport.config(schema)).build();
        try (Connection c = PostgresTestSupport.admin().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE \"" + schema + "\".orders (id bigint PRIMARY KEY)");
        }
    }

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
        client.close();
        PostgresTestSupport.dropSchema(schema);
    }

    @Test
    void parallelTransactions_committedMessagesHandledOnce_rolledBackOnesNever() throws Exception {
        MessageLedger ledger = new MessageLedger("tx-" + UUID.randomUUID());
        TransactionalSender sender = TransactionalSender.create(client.topology(), schema);
        Map<String, Long> committingAt = new ConcurrentHashMap<>();
        Map<String, Long> committingAtFifo = new ConcurrentHashMap<>();
        Map<String, Long> handledAt = new ConcurrentHashMap<>();
        MessageHandler handler = (m, ctx) -> {
            handledAt.putIfAbsent(m.body(), System.nanoTime());
            ledger.handled(m.body());
        };
        // slots of each queue's own, so neither waits for the other; long polls of 3 s (longer ones
        // only make close() wait longer for the last poll), far above the backend's 1 s look
        SubscriptionOptions ownSlots = SubscriptionOptions.builder().concurrency(5).build();
        worker = Worker.builder().name("outbox-worker").pollWaitTime(POLL_WAIT)
                .subscribe(client.queue(OUTBOX), handler, ownSlots)
                .subscribe(client.queue(OUTBOX_FIFO), handler, ownSlots)
                .build();
        worker.start();

        long seed = new Random().nextLong();
        AtomicLong orderIds = new AtomicLong();
        Set<Long> committedOrders = ConcurrentHashMap.newKeySet();
        Map<Outcome, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            String group = "p" + p;
            Random random = new Random(seed + p);
            done.add(producers.submit(() -> {
                try (Connection c = PostgresTestSupport.admin().getConnection()) {
                    c.setAutoCommit(false);
                    for (int t = 0; t < TRANSACTIONS_PER_PRODUCER; t++) {
                        int roll = random.nextInt(4);
                        Outcome outcome = roll < 2 ? Outcome.COMMIT : roll == 2 ? Outcome.ROLLBACK : Outcome.FAIL;
                        long orderId = orderIds.incrementAndGet();
                        String standardBody = ledger.newBody(null);
                        String fifoBody = ledger.newBody(group);
                        try {
                            insertOrder(c, orderId);
                            sender.send(c, OUTBOX, OutgoingMessage.of(standardBody));
                            sender.send(c, OUTBOX_FIFO, OutgoingMessage.builder(fifoBody).groupId(group).build());
                            if (outcome == Outcome.FAIL) {
                                insertOrder(c, orderId); // the application's own constraint fails after the sends
                            }
                            if (outcome == Outcome.COMMIT) {
                                long now = System.nanoTime();
                                committingAt.put(standardBody, now);
                                committingAtFifo.put(fifoBody, now);
                                c.commit();
                                ledger.sent(standardBody);
                                ledger.sent(fifoBody);
                                committedOrders.add(orderId);
                            } else {
                                c.rollback();
                            }
                        } catch (SQLException e) {
                            assertThat(outcome).as("transaction that failed: %s", e.getMessage()).isEqualTo(Outcome.FAIL);
                            assertThat(e.getSQLState()).as("SQL state of the failure").isEqualTo("23505");
                            c.rollback();
                        }
                        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    }
                    c.setAutoCommit(true);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        producers.shutdown();

        awaitAllHandled(ledger);

        // one transaction at a time, each after the previous message was handled: the time from
        // commit to handling is then the wake-up of an idle long poll, not a backlog
        Map<String, Long> quietCommittingAt = new ConcurrentHashMap<>();
        try (Connection c = PostgresTestSupport.admin().getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < 10; i++) {
                String body = ledger.newBody(null);
                long orderId = orderIds.incrementAndGet();
                insertOrder(c, orderId);
                sender.send(c, OUTBOX, OutgoingMessage.of(body));
                quietCommittingAt.put(body, System.nanoTime());
                c.commit();
                ledger.sent(body);
                committedOrders.add(orderId);
                awaitAllHandled(ledger);
                Thread.sleep(50); // the poller is back in its long poll
            }
            c.setAutoCommit(true);
        }
        worker.close();

        assertThat(client.queue(OUTBOX).stats().total()).as("messages left in %s", OUTBOX).isZero();
        assertThat(client.queue(OUTBOX_FIFO).stats().total()).as("messages left in %s", OUTBOX_FIFO).isZero();
        assertThat(ordersInTable()).as("the application's rows: those of the committed transactions").isEqualTo(committedOrders);
        assertThat(outcomes.keySet()).as("outcomes that happened").containsExactlyInAnyOrder(Outcome.values());

        MessageLedger.Report report = ledger.report();
        System.out.println("[" + getClass().getSimpleName() + "] " + PRODUCERS * TRANSACTIONS_PER_PRODUCER
                + " transactions (seed " + seed + "): " + outcomes + "; " + report);
        System.out.println("[" + getClass().getSimpleName() + "] commit to handling, standard queue: "
                + latencies(committingAt, handledAt) + "; FIFO queue (each message also waits for the one before it"
                + " in its group): " + latencies(committingAtFifo, handledAt) + "; one transaction at a time: "
                + latencies(quietCommittingAt, handledAt) + "; the worker long-polls "
                + POLL_WAIT.toSeconds() + " s, the backend looks without a notification every 1 s");
        assertThat(report.lost()).as("committed messages never handled").isEmpty();
        assertThat(report.neverSent()).as("messages of rolled-back or failed transactions that were handled").isEmpty();
        assertThat(report.duplicates()).as("committed messages handled more than once").isZero();
        assertThat(report.orderViolations()).as("FIFO order violations").isEmpty();
        assertThat(report.sent()).isEqualTo(2 * outcomes.get(Outcome.COMMIT).get() + quietCommittingAt.size());
        assertThat(report.clean()).isTrue();
    }

    private void insertOrder(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"" + schema + "\".orders VALUES (?)")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    private Set<Long> ordersInTable() throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection c = PostgresTestSupport.admin().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM \"" + schema + "\".orders")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static void awaitAllHandled(MessageLedger ledger) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ledger.allSentHandled()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("committed messages not all handled within 60 s: " + ledger.report());
            }
            Thread.sleep(20);
        }
    }

    /** Median, 95th percentile and maximum of the time from commit to the start of handling. */
    private static String latencies(Map<String, Long> committingAt, Map<String, Long> handledAt) {
        List<Long> millis = new ArrayList<>();
        for (Map.Entry<String, Long> e : committingAt.entrySet()) {
            Long handled = handledAt.get(e.getKey());
            if (handled != null) {
                millis.add(TimeUnit.NANOSECONDS.toMillis(Math.max(0, handled - e.getValue())));
            }
        }
        Collections.sort(millis);
        if (millis.isEmpty()) {
            return "no committed message handled";
        }
        return millis.size() + " messages, median " + millis.get(millis.size() / 2) + " ms, p95 "
                + millis.get(millis.size() * 95 / 100) + " ms, max " + millis.get(millis.size() - 1) + " ms";
    }
}
