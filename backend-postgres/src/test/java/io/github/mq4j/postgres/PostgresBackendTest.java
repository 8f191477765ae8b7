package io.github.mq4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.mq4j.BatchResult;
import io.github.mq4j.ConfigSource;
import io.github.mq4j.DeduplicationScope;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.SendResult;
import io.github.mq4j.StaleReceiptException;
import io.github.mq4j.Topology;
import io.github.mq4j.ValidationException;
import io.github.mq4j.VisibilityChange;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The semantics contract on the PostgreSQL backend, one schema for the class. */
class PostgresBackendTest {
    private static final String SCHEMA = TestDatabase.newSchema("backend");
    private static final Topology TOPOLOGY = Topology.of(
            QueueSpec.standard("jobs").visibilityTimeout(Duration.ofSeconds(30)).deadLetter("dlq", 2).build(),
            QueueSpec.standard("other").build(),
            QueueSpec.standard("delayed").delay(Duration.ofSeconds(60)).build(),
            QueueSpec.standard("short-lived").retention(Duration.ofSeconds(60)).build(),
            QueueSpec.standard("dlq").build(),
            QueueSpec.fifo("ordered.fifo").deadLetter("dlq.fifo", 2).build(),
            QueueSpec.fifo("content.fifo").contentBasedDeduplication(true).build(),
            QueueSpec.fifo("bygroup.fifo").contentBasedDeduplication(true).deduplicationScope(DeduplicationScope.MESSAGE_GROUP).build(),
            QueueSpec.fifo("dlq.fifo").build());

    private static QueueClient client;

    @BeforeAll
    static void open() {
        client = TestDatabase.open(TOPOLOGY, SCHEMA);
    }

    @AfterAll
    static void close() {
        client.close();
        if (System.getenv("MQ4J_TEST_KEEP_SCHEMA") == null) {
            TestDatabase.dropSchema(SCHEMA);
        }
    }

    @BeforeEach
    void purgeAll() {
        for (String name : TOPOLOGY.names()) {
            client.queue(name).purge();
        }
    }

    private static MessageQueue q(String name) {
        return client.queue(name);
    }

    /** A FIFO message with a deduplication id of its own (ids live 5 minutes, across tests). */
    private static OutgoingMessage fifo(String body, String group) {
        return OutgoingMessage.builder(body).groupId(group).deduplicationId(java.util.UUID.randomUUID().toString()).build();
    }

    private static List<ReceivedMessage> receive(String queue, int max) {
        return q(queue).receive(ReceiveRequest.of(max));
    }

    @Test
    void sendThenReceive_returnsBodyAttributesAndCounts() {
        SendResult sent = q("jobs").send(OutgoingMessage.builder("héllo \"world\"\n").attribute("kind", "a\\b\"c")
                .attribute("n", "1").build());
        List<ReceivedMessage> got = receive("jobs", 10);
        assertThat(got).hasSize(1);
        ReceivedMessage m = got.get(0);
        assertThat(m.messageId()).isEqualTo(sent.messageId());
        assertThat(m.body()).isEqualTo("héllo \"world\"\n");
        assertThat(m.attributes()).isEqualTo(Map.of("kind", "a\\b\"c", "n", "1"));
        assertThat(m.receiveCount()).isEqualTo(1);
        assertThat(m.groupId()).isNull();
        assertThat(m.sequenceNumber()).isNull();
        assertThat(m.firstReceivedAt()).isAfterOrEqualTo(m.sentAt());
        assertThat(m.queue()).isEqualTo("jobs");
    }

    @Test
    void receive_hidesMessageUntilVisibilityTimeout() {
        q("jobs").send(OutgoingMessage.of("x"));
        ReceivedMessage first = receive("jobs", 1).get(0);
        assertThat(receive("jobs", 1)).isEmpty();
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(31));
        ReceivedMessage second = receive("jobs", 1).get(0);
        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(second.receiveCount()).isEqualTo(2);
        assertThat(second.firstReceivedAt()).isEqualTo(first.firstReceivedAt());
        assertThat(second.receipt()).isNotEqualTo(first.receipt());
    }

    @Test
    void receive_withRequestVisibility_overridesQueueTimeout() {
        q("jobs").send(OutgoingMessage.of("x"));
        q("jobs").receive(ReceiveRequest.builder().visibilityTimeout(Duration.ofSeconds(5)).build());
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(6));
        assertThat(receive("jobs", 1)).hasSize(1);
    }

    @Test
    void delete_withCurrentReceipt_deletesEvenAfterTimeout() {
        q("jobs").send(OutgoingMessage.of("x"));
        ReceivedMessage m = receive("jobs", 1).get(0);
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(31));
        q("jobs").delete(m.receipt());
        assertThat(receive("jobs", 1)).isEmpty();
        assertThat(q("jobs").stats().total()).isZero();
    }

    @Test
    void staleReceipt_neitherDeletesNorHidesRedeliveredMessage() {
        q("jobs").send(OutgoingMessage.of("x"));
        ReceivedMessage first = receive("jobs", 1).get(0);
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(31));
        ReceivedMessage second = receive("jobs", 1).get(0);
        q("jobs").delete(first.receipt()); // succeeds, does nothing
        assertThatThrownBy(() -> q("jobs").changeVisibility(first.receipt(), Duration.ZERO))
                .isInstanceOf(StaleReceiptException.class);
        assertThat(receive("jobs", 1)).isEmpty();
        q("jobs").delete(second.receipt());
        assertThat(q("jobs").stats().total()).isZero();
    }

    @Test
    void changeVisibility_zeroMakesVisibleAtOnce_andExpiredIsStale() {
        q("jobs").send(OutgoingMessage.of("x"));
        ReceivedMessage m = receive("jobs", 1).get(0);
        q("jobs").changeVisibility(m.receipt(), Duration.ZERO);
        ReceivedMessage again = receive("jobs", 1).get(0);
        assertThat(again.receiveCount()).isEqualTo(2);
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(31));
        assertThatThrownBy(() -> q("jobs").changeVisibility(again.receipt(), Duration.ofSeconds(10)))
                .isInstanceOf(StaleReceiptException.class);
    }

    @Test
    void changeVisibility_extendsHiding() {
        q("jobs").send(OutgoingMessage.of("x"));
        ReceivedMessage m = receive("jobs", 1).get(0);
        q("jobs").changeVisibility(m.receipt(), Duration.ofSeconds(120));
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(60));
        assertThat(receive("jobs", 1)).isEmpty();
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(61));
        assertThat(receive("jobs", 1)).hasSize(1);
    }

    @Test
    void receipts_fromOtherQueueOrForeign_areValidationErrors() {
        q("other").send(OutgoingMessage.of("x"));
        ReceivedMessage m = receive("other", 1).get(0);
        assertThatThrownBy(() -> q("jobs").delete(m.receipt())).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("receipt"));
        assertThatThrownBy(() -> q("jobs").changeVisibility("AQEB-sqs-receipt", Duration.ZERO))
                .isInstanceOf(ValidationException.class);
        BatchResult<String> batch = q("other").deleteBatch(List.of("garbage", m.receipt()));
        assertThat(batch.get(0).succeeded()).isFalse();
        assertThat(batch.get(1).succeeded()).isTrue();
        assertThat(q("other").stats().total()).isZero();
    }

    @Test
    void changeVisibilityBatch_reportsStaleEntriesAlone() {
        q("jobs").sendBatch(List.of(OutgoingMessage.of("a"), OutgoingMessage.of("b")));
        List<ReceivedMessage> got = receive("jobs", 10);
        assertThat(got).hasSize(2);
        q("jobs").delete(got.get(0).receipt());
        BatchResult<String> r = q("jobs").changeVisibilityBatch(List.of(
                new VisibilityChange(got.get(0).receipt(), Duration.ZERO),
                new VisibilityChange(got.get(1).receipt(), Duration.ZERO)));
        assertThat(r.get(0).succeeded()).isFalse();
        assertThat(((BatchResult.Failure<String>) r.get(0)).error()).isInstanceOf(StaleReceiptException.class);
        assertThat(r.get(1).succeeded()).isTrue();
        assertThat(receive("jobs", 10)).extracting(ReceivedMessage::body).containsExactly(got.get(1).body());
    }

    @Test
    void sendBatch_returnsIdsInOrder_andInvalidEntryFailsAlone() {
        BatchResult<SendResult> r = q("jobs").sendBatch(List.of(OutgoingMessage.of("1"), OutgoingMessage.of(""),
                OutgoingMessage.of("3")));
        assertThat(r.get(0).succeeded()).isTrue();
        assertThat(r.get(1).succeeded()).isFalse();
        assertThat(r.get(2).succeeded()).isTrue();
        List<ReceivedMessage> got = receive("jobs", 10);
        assertThat(got).extracting(ReceivedMessage::messageId)
                .containsExactlyInAnyOrder(r.valueOrThrow(0).messageId(), r.valueOrThrow(2).messageId());
    }

    @Test
    void delay_keepsMessageHidden_perMessageAndQueue() {
        q("jobs").send(OutgoingMessage.builder("later").delay(Duration.ofSeconds(30)).build());
        q("delayed").send(OutgoingMessage.of("queue-delay"));
        assertThat(receive("jobs", 1)).isEmpty();
        assertThat(receive("delayed", 1)).isEmpty();
        QueueStats stats = q("jobs").stats();
        assertThat(stats.delayed()).isEqualTo(1);
        assertThat(stats.visible()).isZero();
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(31));
        assertThat(receive("jobs", 1)).hasSize(1);
        assertThat(receive("delayed", 1)).isEmpty();
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(30));
        assertThat(receive("delayed", 1)).hasSize(1);
    }

    @Test
    void stats_countVisibleInFlightDelayedAndOldest() {
        q("jobs").sendBatch(List.of(OutgoingMessage.of("a"), OutgoingMessage.of("b"), OutgoingMessage.of("c")));
        q("jobs").send(OutgoingMessage.builder("d").delay(Duration.ofSeconds(100)).build());
        receive("jobs", 1);
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(10));
        QueueStats s = q("jobs").stats();
        assertThat(s.visible()).isEqualTo(2);
        assertThat(s.inFlight()).isEqualTo(1);
        assertThat(s.delayed()).isEqualTo(1);
        assertThat(s.oldestMessageAge()).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(60));
        assertThat(q("other").stats().oldestMessageAge()).isNull();
    }

    @Test
    void deadLetter_afterMaxReceives_movesOnNextReceive_keepingEverything() {
        SendResult sent = q("jobs").send(OutgoingMessage.builder("poison").attribute("a", "b").build());
        for (int i = 1; i <= 2; i++) {
            ReceivedMessage m = receive("jobs", 1).get(0);
            assertThat(m.receiveCount()).isEqualTo(i);
            q("jobs").changeVisibility(m.receipt(), Duration.ZERO);
        }
        assertThat(receive("jobs", 1)).isEmpty();
        ReceivedMessage dead = receive("dlq", 1).get(0);
        assertThat(dead.messageId()).isEqualTo(sent.messageId());
        assertThat(dead.body()).isEqualTo("poison");
        assertThat(dead.attributes()).containsEntry("a", "b");
        assertThat(dead.deadLetterSource()).isEqualTo("jobs");
        assertThat(q("jobs").stats().total()).isZero();
    }

    @Test
    void moveToDeadLetter_movesAtOnce_andStaleReceiptFails() {
        q("jobs").send(OutgoingMessage.of("bad"));
        ReceivedMessage m = receive("jobs", 1).get(0);
        q("jobs").moveToDeadLetter(m);
        assertThatThrownBy(() -> q("jobs").moveToDeadLetter(m)).isInstanceOf(StaleReceiptException.class);
        ReceivedMessage dead = receive("dlq", 1).get(0);
        assertThat(dead.messageId()).isEqualTo(m.messageId());
        assertThat(dead.deadLetterSource()).isEqualTo("jobs");
        // the old receipt does not reach the message in its new queue
        q("jobs").delete(m.receipt());
        assertThat(q("dlq").stats().total()).isEqualTo(1);
    }

    @Test
    void redrive_movesBackToSource_resettingCount() {
        q("jobs").sendBatch(List.of(OutgoingMessage.of("a"), OutgoingMessage.of("b")));
        for (ReceivedMessage m : receive("jobs", 10)) {
            q("jobs").moveToDeadLetter(m);
        }
        assertThat(q("dlq").redrive(RedriveRequest.toSource()).moved()).isEqualTo(2);
        List<ReceivedMessage> back = receive("jobs", 10);
        assertThat(back).extracting(ReceivedMessage::body).containsExactlyInAnyOrder("a", "b");
        assertThat(back).allSatisfy(m -> {
            assertThat(m.receiveCount()).isEqualTo(1);
            assertThat(m.deadLetterSource()).isNull();
        });
    }

    @Test
    void redrive_toDestination_withRateLimit() {
        for (int i = 0; i < 3; i++) {
            q("jobs").send(OutgoingMessage.of("m" + i));
        }
        for (ReceivedMessage m : receive("jobs", 10)) {
            q("jobs").moveToDeadLetter(m);
        }
        assertThat(q("dlq").redrive(RedriveRequest.to("other").withRateLimit(2)).moved()).isEqualTo(3);
        assertThat(q("other").stats().total()).isEqualTo(3);
    }

    @Test
    void redrive_leavesMessagesOfUnknownSource() {
        q("dlq").send(OutgoingMessage.of("sent straight to the dlq"));
        assertThat(q("dlq").redrive(RedriveRequest.toSource()).moved()).isZero();
        assertThat(q("dlq").stats().total()).isEqualTo(1);
    }

    @Test
    void retention_expiredMessagesAreNeverDelivered_andSwept() {
        q("short-lived").sendBatch(List.of(OutgoingMessage.of("a"), OutgoingMessage.of("b")));
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(61));
        q("short-lived").send(OutgoingMessage.of("fresh"));
        assertThat(receive("short-lived", 10)).extracting(ReceivedMessage::body).containsExactly("fresh");
        q("short-lived").sendBatch(List.of(OutgoingMessage.of("c")));
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(61));
        assertThat(((PostgresBackendAccess) () -> client).backend().sweepNow()).isTrue();
        assertThat(q("short-lived").stats().visible()).isZero();
    }

    @Test
    void purge_deletesEverything() {
        q("jobs").sendBatch(List.of(OutgoingMessage.of("a"), OutgoingMessage.of("b")));
        receive("jobs", 1);
        q("jobs").purge();
        assertThat(q("jobs").stats().total()).isZero();
    }

    @Test
    void longPoll_returnsAsSoonAsMessageArrives() throws Exception {
        CompletableFuture<List<ReceivedMessage>> waiting = CompletableFuture.supplyAsync(
                () -> q("other").receive(ReceiveRequest.of(1, Duration.ofSeconds(20))));
        long start = System.nanoTime();
        q("other").send(OutgoingMessage.of("wake"));
        List<ReceivedMessage> got = waiting.get();
        assertThat(got).extracting(ReceivedMessage::body).containsExactly("wake");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void longPoll_emptyQueue_returnsEmptyAfterWait() {
        assertThat(q("other").receive(ReceiveRequest.of(1, Duration.ofSeconds(1)))).isEmpty();
    }

    // ------------------------------------------------------------------ FIFO

    @Test
    void fifo_deliversGroupInOrder_severalPerReceive() {
        for (int i = 0; i < 5; i++) {
            q("ordered.fifo").send(fifo("a" + i, "A"));
        }
        q("ordered.fifo").send(fifo("b0", "B"));
        List<ReceivedMessage> got = receive("ordered.fifo", 10);
        List<String> a = got.stream().filter(m -> m.groupId().equals("A")).map(ReceivedMessage::body).toList();
        assertThat(a).containsExactly("a0", "a1", "a2", "a3", "a4");
        assertThat(got).hasSize(6);
        assertThat(got).allSatisfy(m -> assertThat(m.sequenceNumber()).isNotNull());
    }

    @Test
    void fifo_afterLongRuns_aReceiveAmongShortGroupsStillFillsItsBatch() {
        // a receive of one long run teaches the backend to lock one head per receive...
        List<OutgoingMessage> run = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            run.add(fifo("long" + i, "L"));
        }
        q("ordered.fifo").sendBatch(run);
        List<ReceivedMessage> first = receive("ordered.fifo", 10);
        assertThat(first).hasSize(10);
        q("ordered.fifo").deleteBatch(first.stream().map(ReceivedMessage::receipt).toList());
        // ...and when the next groups hold one message each, it looks again among the others
        List<OutgoingMessage> singles = new ArrayList<>();
        for (int g = 0; g < 8; g++) {
            singles.add(fifo("s" + g, "S" + g));
        }
        q("ordered.fifo").sendBatch(singles);
        List<ReceivedMessage> got = receive("ordered.fifo", 10);
        assertThat(got).extracting(ReceivedMessage::body).containsExactlyInAnyOrder("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7");
    }

    @Test
    void fifo_messagesBehindTheHead_stayInFlightWhenTheyBecomeTheHead_andAreGivenBackOneByOne() {
        q("ordered.fifo").sendBatch(List.of(fifo("a0", "A"), fifo("a1", "A"), fifo("a2", "A")));
        List<ReceivedMessage> got = receive("ordered.fifo", 10);
        assertThat(got).extracting(ReceivedMessage::body).containsExactly("a0", "a1", "a2");
        assertThat(q("ordered.fifo").stats().inFlight()).isEqualTo(3);

        // a1 becomes the head, still in flight with the receive's visibility timeout
        q("ordered.fifo").delete(got.get(0).receipt());
        assertThat(receive("ordered.fifo", 10)).isEmpty();
        assertThat(q("ordered.fifo").stats().inFlight()).isEqualTo(2);

        // given back, a1 comes again; a2, behind it and still in flight, does not
        q("ordered.fifo").changeVisibility(got.get(1).receipt(), Duration.ZERO);
        List<ReceivedMessage> again = receive("ordered.fifo", 10);
        assertThat(again).extracting(ReceivedMessage::body).containsExactly("a1");
        // a2 given back while behind the head: it comes once a1 is deleted
        q("ordered.fifo").changeVisibility(got.get(2).receipt(), Duration.ZERO);
        assertThat(q("ordered.fifo").stats().visible()).isEqualTo(1);
        q("ordered.fifo").delete(again.get(0).receipt());
        assertThat(receive("ordered.fifo", 10)).extracting(ReceivedMessage::body).containsExactly("a2");
    }

    @Test
    void vacuum_keepsTheDrainedMessageTablesPages() throws Exception {
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(OutgoingMessage.of("x".repeat(2000)));
        }
        for (int i = 0; i < 20; i++) {
            q("other").sendBatch(batch);
        }
        purgeAll();
        try (Connection c = TestDatabase.admin().getConnection(); Statement st = c.createStatement()) {
            st.execute("VACUUM " + Sql.quote(SCHEMA) + ".message");
            try (ResultSet rs = st.executeQuery("SELECT pg_relation_size('" + Sql.quote(SCHEMA) + ".message')")) {
                rs.next();
                // truncated to nothing, the table would be planned as empty (see migration 2)
                assertThat(rs.getLong(1)).isGreaterThan(0);
            }
            try (ResultSet rs = st.executeQuery("SELECT t.reloptions::text FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid "
                    + "WHERE c.oid = '" + Sql.quote(SCHEMA) + ".message'::regclass")) {
                rs.next();
                assertThat(rs.getString(1)).contains("vacuum_truncate=false"); // its TOAST table too
            }
        }
    }

    @Test
    void receives_arePlannedOnce_notAtEveryCall() throws Exception {
        String schema = TestDatabase.newSchema("plans");
        try (HikariDataSource pool = twoConnections(); QueueClient own = borrowing(schema, pool)) {
            // a backlog whose statistics are out of date, as a queue table's mostly are: analysed
            // while every message was in flight, then filled with visible ones
            try (Connection c = TestDatabase.admin().getConnection(); Statement st = c.createStatement()) {
                String s = Sql.quote(schema);
                st.execute("INSERT INTO " + s + ".message (queue_id, head, visible_at, sent_at, message_id, body) "
                        + "SELECT q.id, true, now() + interval '1 hour', now(), gen_random_uuid(), 'x' "
                        + "FROM " + s + ".queue q, generate_series(1, 20000) WHERE q.name = 'other'");
                st.execute("ALTER TABLE " + s + ".message SET (autovacuum_enabled = false)"); // the statistics stay old
                st.execute("ANALYZE " + s + ".message");
                st.execute("INSERT INTO " + s + ".message (queue_id, head, visible_at, sent_at, message_id, group_id, body) "
                        + "SELECT q.id, q.name = 'other' OR i <= 100, now(), now(), gen_random_uuid(), "
                        + "CASE WHEN q.name = 'other' THEN NULL ELSE 'g' || (i % 100) END, 'x' "
                        + "FROM " + s + ".queue q, generate_series(1, 20000) i WHERE q.name IN ('other', 'ordered.fifo') ORDER BY i");
            }
            for (int i = 0; i < 20; i++) {
                for (String name : List.of("other", "ordered.fifo")) {
                    MessageQueue queue = own.queue(name);
                    List<ReceivedMessage> got = queue.receive(ReceiveRequest.of(10));
                    assertThat(got).hasSize(10);
                    queue.deleteBatch(got.stream().map(ReceivedMessage::receipt).toList());
                }
            }
            try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                            + "WHERE statement LIKE '%FOR UPDATE SKIP LOCKED%'")) {
                int statements = 0;
                while (rs.next()) {
                    statements++;
                    // PostgreSQL plans the first five executions for their values, then keeps a
                    // generic plan if it costs no more; a LIMIT given as a parameter never does,
                    // and every receive paid for a new plan
                    assertThat(rs.getLong(1)).as("generic plans").isGreaterThan(0);
                    assertThat(rs.getLong(2)).as("custom plans").isLessThanOrEqualTo(5);
                }
                assertThat(statements).as("receive statements of both queue kinds").isEqualTo(2);
            }
            // planned as the backend plans it, after its guard, the receive stops after its LIMIT
            // in the receive index instead of collecting and sorting the whole backlog
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                String receive;
                String types;
                try (ResultSet rs = st.executeQuery("SELECT statement, parameter_types::text FROM pg_prepared_statements "
                        + "WHERE statement LIKE '%WITH c AS%FOR UPDATE SKIP LOCKED%'")) {
                    assertThat(rs.next()).isTrue();
                    receive = rs.getString(1);
                    types = rs.getString(2);
                }
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_prepared_statements WHERE statement = "
                        + "'" + MessageStore.PLAN_GUARD.replace("; ", "").replace("'", "''") + "'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the guard runs before the receives").isPositive();
                }
                List<String> values = new ArrayList<>();
                for (String type : types.replaceAll("[{}\"]", "").split(",")) {
                    values.add(type.startsWith("double") ? "1000" : type.startsWith("integer") ? "1" : "'x'");
                }
                c.setAutoCommit(false);
                st.execute(MessageStore.PLAN_GUARD);
                String plan = plan(st, receive, "(" + types.replaceAll("[{}\"]", "") + ")", String.join(", ", values));
                c.rollback();
                c.setAutoCommit(true);
                assertThat(plan).contains("Index Scan using message_ready").doesNotContain("Bitmap");
            }
        } finally {
            TestDatabase.dropSchema(schema);
        }
    }

    /**
     * A delete or visibility change of 100 receipts, on statistics from when the queue was empty
     * and a backlog of 10,000 messages, as the backend plans it: a lookup of each receipt in the
     * primary key. Without the plan guard, PostgreSQL scans the queue's whole backlog for them.
     */
    @Test
    void deletesAndVisibilityChanges_lookUpTheirReceipts_evenOnStaleStatistics() throws Exception {
        String schema = TestDatabase.newSchema("byid");
        try (HikariDataSource pool = twoConnections(); QueueClient own = borrowing(schema, pool)) {
            String s = Sql.quote(schema);
            try (Connection c = TestDatabase.admin().getConnection(); Statement st = c.createStatement()) {
                st.execute("ALTER TABLE " + s + ".message SET (autovacuum_enabled = false)"); // the statistics stay old
                st.execute("ANALYZE " + s + ".message");
                st.execute("INSERT INTO " + s + ".message (queue_id, head, visible_at, sent_at, message_id, body) "
                        + "SELECT q.id, true, now(), now(), gen_random_uuid(), 'x' "
                        + "FROM " + s + ".queue q, generate_series(1, 10000) WHERE q.name = 'other'");
            }
            MessageQueue queue = own.queue("other");
            for (int i = 0; i < 20; i++) { // after a few executions, pgjdbc prepares them on the server
                List<String> receipts = receipts(queue, 10);
                queue.changeVisibilityBatch(receipts.stream().map(r -> new VisibilityChange(r, Duration.ofSeconds(60))).toList());
                queue.deleteBatch(receipts);
            }
            String ids;
            String zeros;
            try (Connection c = TestDatabase.admin().getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT array_agg(id)::text, array_agg(0)::text FROM (SELECT id FROM "
                            + s + ".message ORDER BY id LIMIT 100) x")) {
                rs.next();
                ids = rs.getString(1);
                zeros = rs.getString(2);
            }
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_prepared_statements WHERE statement = "
                        + "'" + MessageStore.PLAN_GUARD.replace("; ", "").replace("'", "''") + "'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the guard runs before the receive, the delete and the visibility change")
                            .isEqualTo(3);
                }
                for (String kind : List.of("%DELETE FROM%unnest%", "%UPDATE%make_interval%unnest%")) {
                    String sql;
                    try (ResultSet rs = st.executeQuery("SELECT statement FROM pg_prepared_statements WHERE statement LIKE '"
                            + kind + "'")) {
                        assertThat(rs.next()).as(kind).isTrue();
                        sql = rs.getString(1).strip(); // as the driver split it from the guard
                    }
                    String values = sql.startsWith("DELETE") ? "'" + ids + "', '" + zeros + "', 1"
                            : "'" + ids + "', '" + zeros + "', '{" + "60,".repeat(99) + "60}', 1";
                    c.setAutoCommit(false);
                    String unguarded = plan(st, sql, "", values);
                    st.execute(MessageStore.PLAN_GUARD);
                    String guarded = plan(st, sql, "", values);
                    c.rollback();
                    c.setAutoCommit(true);
                    assertThat(guarded).as(kind).contains("Index Scan using message_pkey").doesNotContain("Seq Scan on message");
                    assertThat(unguarded).as(kind + ", without the guard").contains("Seq Scan on message");
                }
            }
        } finally {
            TestDatabase.dropSchema(schema);
        }
    }

    /**
     * A pool of two connections: the backend's listener holds one, so everything else runs on the
     * other, whose prepared statements a test can read.
     */
    private static HikariDataSource twoConnections() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabase.jdbcUrl());
        config.setUsername(TestDatabase.server().user());
        config.setPassword(TestDatabase.server().password());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    /** A client of the test topology in {@code schema} that borrows {@code pool}. */
    private static QueueClient borrowing(String schema, javax.sql.DataSource pool) {
        return QueueFactory.builder().type("postgres").topology(TOPOLOGY)
                .config(ConfigSource.of(Map.of(PostgresSettings.SCHEMA, schema)))
                .option(javax.sql.DataSource.class, pool).build();
    }

    /**
     * The plan of {@code sql} (with parameters of {@code types}, a list in parentheses, or "" for
     * those its casts give) for these parameter values, planned for them; in the caller's transaction.
     */
    private static String plan(Statement st, String sql, String types, String values) throws SQLException {
        st.execute("SET LOCAL plan_cache_mode = force_custom_plan");
        st.execute("PREPARE probe" + types + " AS " + sql);
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE probe(" + values + ")")) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        st.execute("DEALLOCATE probe");
        return plan.toString();
    }

    private static List<String> receipts(MessageQueue queue, int n) {
        List<ReceivedMessage> got = queue.receive(ReceiveRequest.of(n));
        assertThat(got).hasSize(n);
        return got.stream().map(ReceivedMessage::receipt).toList();
    }

    @Test
    void fifo_blocksGroupWhileInFlight_otherGroupsGoOn() {
        q("ordered.fifo").sendBatch(List.of(fifo("a0", "A"), fifo("a1", "A"), fifo("b0", "B")));
        ReceivedMessage a0 = q("ordered.fifo").receive(ReceiveRequest.of(1)).get(0);
        assertThat(a0.body()).isIn("a0", "b0");
        List<ReceivedMessage> next = receive("ordered.fifo", 10);
        if (a0.body().equals("a0")) {
            assertThat(next).extracting(ReceivedMessage::body).containsExactly("b0");
            q("ordered.fifo").delete(a0.receipt());
            assertThat(receive("ordered.fifo", 10)).extracting(ReceivedMessage::body).containsExactly("a1");
        } else {
            assertThat(next).extracting(ReceivedMessage::body).containsExactly("a0", "a1");
        }
    }

    @Test
    void fifo_redeliversFromFirstUndeletedMessage() {
        q("ordered.fifo").sendBatch(List.of(fifo("a0", "A"), fifo("a1", "A"), fifo("a2", "A")));
        List<ReceivedMessage> got = receive("ordered.fifo", 10);
        assertThat(got).hasSize(3);
        q("ordered.fifo").delete(got.get(0).receipt());
        TestDatabase.advance(SCHEMA, Duration.ofSeconds(31));
        assertThat(receive("ordered.fifo", 10)).extracting(ReceivedMessage::body).containsExactly("a1", "a2");
    }

    @Test
    void fifo_deletingLaterMessageFirst_keepsGroupBlockedUntilHeadDone() {
        q("ordered.fifo").sendBatch(List.of(fifo("a0", "A"), fifo("a1", "A"), fifo("a2", "A")));
        List<ReceivedMessage> got = receive("ordered.fifo", 2);
        assertThat(got).extracting(ReceivedMessage::body).containsExactly("a0", "a1");
        q("ordered.fifo").delete(got.get(1).receipt());
        assertThat(receive("ordered.fifo", 10)).isEmpty();
        q("ordered.fifo").delete(got.get(0).receipt());
        assertThat(receive("ordered.fifo", 10)).extracting(ReceivedMessage::body).containsExactly("a2");
    }

    /**
     * A receive waiting on a FIFO queue whose groups are all blocked must wake when a delete
     * unblocks one, in this client (a signal) and in every other (a notification), not at its next
     * look a second later.
     */
    @Test
    void fifo_deletingTheHeadOfAGroupWithMoreMessages_wakesWaitingReceivesHereAndElsewhere() throws Exception {
        PostgresBackend backend = ((PostgresBackendAccess) () -> client).backend();
        try (Connection listen = TestDatabase.admin().getConnection()) {
            PGConnection pg = listen(listen, backend);
            q("ordered.fifo").sendBatch(List.of(fifo("first", "g"), fifo("second", "g")));
            assertThat(awaitNotification(pg, "ordered.fifo")).as("notification of the send").isTrue();
            ReceivedMessage first = q("ordered.fifo").receive(ReceiveRequest.of(1)).get(0);
            long epoch = backend.signals().epoch("ordered.fifo");

            q("ordered.fifo").delete(first);

            assertThat(backend.signals().epoch("ordered.fifo")).as("signal epoch of the queue").isGreaterThan(epoch);
            assertThat(awaitNotification(pg, "ordered.fifo")).as("notification of the delete").isTrue();
            listen.createStatement().execute("UNLISTEN *"); // the connection goes back to the pool
        }
    }

    @Test
    void sendsInQuickSuccession_shareNotifications_andTheLastIsNeverLeftOut() throws Exception {
        PostgresBackend backend = ((PostgresBackendAccess) () -> client).backend();
        try (Connection listen = TestDatabase.admin().getConnection()) {
            PGConnection pg = listen(listen, backend);
            int sends = 200;
            long start = System.nanoTime();
            for (int i = 0; i < sends; i++) {
                q("other").send(OutgoingMessage.of("m" + i));
            }
            long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // every notification of the queue until a second passes without one
            int notified = 0;
            PGNotification[] got;
            while ((got = pg.getNotifications(1000)) != null && got.length > 0) {
                for (PGNotification n : got) {
                    notified += n.getParameter().equals("other") ? 1 : 0;
                }
            }
            // at least one, and at most one per 2 ms of the burst and one after it
            assertThat(notified).isBetween(1, (int) (millis / 2) + 2);
            // a send right after a notification, within its 2 ms, still gets one of its own
            q("other").send(OutgoingMessage.of("first"));
            assertThat(awaitNotification(pg, "other")).as("notification of the first send").isTrue();
            q("other").send(OutgoingMessage.of("second"));
            assertThat(awaitNotification(pg, "other")).as("notification of the send folded into the next").isTrue();
            listen.createStatement().execute("UNLISTEN *");
        }
    }

    /**
     * Makes pooled connection {@code c} listen on the backend's channel, without what it was told
     * before (a pooled connection may have listened already); the caller unlistens.
     */
    private static PGConnection listen(Connection c, PostgresBackend backend) throws java.sql.SQLException {
        c.setAutoCommit(true);
        c.createStatement().execute("LISTEN " + Sql.quote(backend.store().channel));
        PGConnection pg = c.unwrap(PGConnection.class);
        c.createStatement().execute("SELECT 1");
        pg.getNotifications();
        return pg;
    }

    /** Waits up to 10 s for a notification about {@code queue}. */
    private static boolean awaitNotification(PGConnection pg, String queue) throws java.sql.SQLException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            PGNotification[] got = pg.getNotifications(200);
            if (got != null) {
                for (PGNotification n : got) {
                    if (n.getParameter().equals(queue)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void fifo_deduplicatesWithinWindow_evenAfterDelete_thenExpires() {
        String id = java.util.UUID.randomUUID().toString();
        SendResult first = q("ordered.fifo").send(fifo("x", "A").toBuilder().deduplicationId(id).build());
        SendResult dup = q("ordered.fifo").send(fifo("x", "B").toBuilder().deduplicationId(id).build());
        assertThat(dup.messageId()).isEqualTo(first.messageId());
        assertThat(dup.sequenceNumber()).isEqualTo(first.sequenceNumber());
        ReceivedMessage m = receive("ordered.fifo", 10).get(0);
        q("ordered.fifo").delete(m.receipt());
        assertThat(q("ordered.fifo").send(fifo("x", "A").toBuilder().deduplicationId(id).build()).messageId())
                .isEqualTo(first.messageId());
        assertThat(receive("ordered.fifo", 10)).isEmpty();
        TestDatabase.advance(SCHEMA, Duration.ofMinutes(5));
        SendResult later = q("ordered.fifo").send(fifo("x", "A").toBuilder().deduplicationId(id).build());
        assertThat(later.messageId()).isNotEqualTo(first.messageId());
        assertThat(receive("ordered.fifo", 10)).hasSize(1);
    }

    @Test
    void fifo_duplicateWithinOneBatch_returnsFirstId() {
        BatchResult<SendResult> r = q("content.fifo").sendBatch(List.of(
                OutgoingMessage.builder("same").groupId("g").build(),
                OutgoingMessage.builder("same").groupId("g").build(),
                OutgoingMessage.builder("other").groupId("g").build()));
        assertThat(r.valueOrThrow(1).messageId()).isEqualTo(r.valueOrThrow(0).messageId());
        assertThat(receive("content.fifo", 10)).extracting(ReceivedMessage::body).containsExactly("same", "other");
    }

    @Test
    void fifo_groupScopedDeduplication_allowsSameIdInOtherGroup() {
        SendResult a = q("bygroup.fifo").send(OutgoingMessage.builder("body").groupId("A").build());
        SendResult b = q("bygroup.fifo").send(OutgoingMessage.builder("body").groupId("B").build());
        SendResult a2 = q("bygroup.fifo").send(OutgoingMessage.builder("body").groupId("A").build());
        assertThat(b.messageId()).isNotEqualTo(a.messageId());
        assertThat(a2.messageId()).isEqualTo(a.messageId());
        assertThat(receive("bygroup.fifo", 10)).hasSize(2);
    }

    @Test
    void fifo_deadLetter_movesHeadAndUnblocksGroup() {
        q("ordered.fifo").sendBatch(List.of(fifo("a0", "A"), fifo("a1", "A")));
        for (int i = 0; i < 2; i++) {
            List<ReceivedMessage> got = q("ordered.fifo").receive(ReceiveRequest.of(1));
            assertThat(got).extracting(ReceivedMessage::body).containsExactly("a0");
            q("ordered.fifo").changeVisibility(got.get(0).receipt(), Duration.ZERO);
        }
        // this receive moves a0 instead of delivering it, which unblocks the group
        assertThat(receive("ordered.fifo", 10)).extracting(ReceivedMessage::body).containsExactly("a1");
        ReceivedMessage dead = receive("dlq.fifo", 1).get(0);
        assertThat(dead.body()).isEqualTo("a0");
        assertThat(dead.groupId()).isEqualTo("A");
        assertThat(dead.deadLetterSource()).isEqualTo("ordered.fifo");
    }

    @Test
    void fifo_moveToDeadLetter_andRedriveToEndOfGroup() {
        q("ordered.fifo").sendBatch(List.of(fifo("a0", "A"), fifo("a1", "A")));
        ReceivedMessage a0 = q("ordered.fifo").receive(ReceiveRequest.of(1)).get(0);
        q("ordered.fifo").moveToDeadLetter(a0);
        q("ordered.fifo").send(fifo("a2", "A"));
        assertThat(q("dlq.fifo").redrive(RedriveRequest.toSource()).moved()).isEqualTo(1);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ReceivedMessage m = q("ordered.fifo").receive(ReceiveRequest.of(1)).get(0);
            order.add(m.body());
            q("ordered.fifo").delete(m.receipt());
        }
        assertThat(order).containsExactly("a1", "a2", "a0");
    }

    @Test
    void fifo_purge_thenSendsStartFresh() {
        q("ordered.fifo").sendBatch(List.of(fifo("a0", "A"), fifo("a1", "A")));
        q("ordered.fifo").purge();
        q("ordered.fifo").send(fifo("a2", "A"));
        assertThat(receive("ordered.fifo", 10)).extracting(ReceivedMessage::body).containsExactly("a2");
    }

    @Test
    void fifo_stats_countWaitingMessagesAsVisible() {
        q("ordered.fifo").sendBatch(List.of(fifo("a0", "A"), fifo("a1", "A"), fifo("b0", "B")));
        q("ordered.fifo").receive(ReceiveRequest.of(1));
        QueueStats s = q("ordered.fifo").stats();
        assertThat(s.inFlight()).isEqualTo(1);
        assertThat(s.visible()).isEqualTo(2);
        assertThat(s.total()).isEqualTo(3);
    }

    @Test
    void concurrentFifoSends_combinedIntoOneCommit_eachCallerGetsItsOwnResults_andGroupsKeepTheirOrder() throws Exception {
        int threads = 8;
        int batches = 20;
        String shared = "shared-" + java.util.UUID.randomUUID();
        Map<String, String> idByBody = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> sharedIds = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            senders.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                String lastSequence = "";
                for (int b = 0; b < batches; b++) {
                    List<OutgoingMessage> batch = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        batch.add(fifo(thread + ":" + (b * 5 + i), "g" + thread));
                    }
                    if (b == 0) {
                        // the same deduplication id from every thread at once: one message, one id for all
                        batch.add(OutgoingMessage.builder("shared").groupId("g" + thread).deduplicationId(shared).build());
                    }
                    BatchResult<SendResult> result = q("ordered.fifo").sendBatch(batch);
                    assertThat(result.allSucceeded()).isTrue();
                    for (int i = 0; i < 5; i++) {
                        SendResult sent = result.valueOrThrow(i);
                        idByBody.put(thread + ":" + (b * 5 + i), sent.messageId());
                        assertThat(sent.sequenceNumber()).isGreaterThan(lastSequence);
                        lastSequence = sent.sequenceNumber();
                    }
                    if (b == 0) {
                        sharedIds.add(result.valueOrThrow(5).messageId());
                    }
                }
            }, pool));
        }
        try {
            CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(idByBody).hasSize(threads * batches * 5);
        assertThat(java.util.Set.copyOf(idByBody.values())).hasSize(threads * batches * 5);
        assertThat(java.util.Set.copyOf(sharedIds)).hasSize(1);
        int[] next = new int[threads];
        int sharedReceived = 0;
        List<ReceivedMessage> got;
        while (!(got = receive("ordered.fifo", 10)).isEmpty()) {
            for (ReceivedMessage m : got) {
                if (m.body().equals("shared")) {
                    sharedReceived++;
                    assertThat(m.messageId()).isEqualTo(sharedIds.get(0));
                    continue;
                }
                String[] parts = m.body().split(":");
                int thread = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1])).isEqualTo(next[thread]++);
                assertThat(m.messageId()).isEqualTo(idByBody.get(m.body()));
            }
            q("ordered.fifo").deleteBatch(got.stream().map(ReceivedMessage::receipt).toList());
        }
        assertThat(next).containsOnly(batches * 5);
        assertThat(sharedReceived).isEqualTo(1);
    }
}
