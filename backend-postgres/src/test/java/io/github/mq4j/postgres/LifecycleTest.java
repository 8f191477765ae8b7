package io.github.mq4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.BackendException;
import io.github.mq4j.ConfigSource;
import io.github.mq4j.ConfigurationException;
import io.github.mq4j.MessageQueueException;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Start, migrations, shutdown, borrowed DataSource, errors and recovery. */
class LifecycleTest {
    private static final Topology TOPOLOGY = Topology.of(QueueSpec.standard("jobs").build(), QueueSpec.fifo("jobs.fifo").build());

    @Test
    void migrations_concurrentStarts_applyEachVersionOnce() throws Exception {
        String schema = TestDatabase.newSchema("migrate");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<QueueClient>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starts.add(pool.submit(() -> TestDatabase.open(TOPOLOGY, schema)));
        }
        List<QueueClient> clients = new ArrayList<>();
        for (Future<QueueClient> f : starts) {
            clients.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        try (Connection c = TestDatabase.admin().getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*), max(version) FROM " + Sql.quote(schema)
                        + ".schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(Migrations.ALL.size());
            assertThat(rs.getInt(2)).isEqualTo(Migrations.latestVersion());
        }
        clients.get(0).queue("jobs").send(OutgoingMessage.of("x"));
        assertThat(clients.get(3).queue("jobs").receive(ReceiveRequest.of(1))).hasSize(1);
        clients.forEach(QueueClient::close);
        TestDatabase.dropSchema(schema);
    }

    @Test
    void withoutAutoMigrate_unmigratedSchemaIsAnError_andShippedSqlWorks() throws Exception {
        String schema = TestDatabase.newSchema("manual");
        Map<String, String> vars = new java.util.HashMap<>(TestDatabase.config(schema));
        vars.put(PostgresSettings.AUTO_MIGRATE, "false");
        assertThatThrownBy(() -> QueueFactory.builder().type("postgres").topology(TOPOLOGY).config(ConfigSource.of(vars)).build())
                .isInstanceOf(MessageQueueException.class).hasMessageContaining("version 0");
        // what an operator does: run the shipped SQL, record the version
        try (Connection c = TestDatabase.admin().getConnection()) {
            c.createStatement().execute("CREATE SCHEMA " + Sql.quote(schema));
            c.createStatement().execute("CREATE TABLE " + Sql.quote(schema) + ".schema_version (version integer PRIMARY KEY, "
                    + "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            for (Migrations.Migration m : Migrations.ALL) {
                c.createStatement().execute(Migrations.sql(m, schema));
                c.createStatement().execute("INSERT INTO " + Sql.quote(schema) + ".schema_version (version, description) VALUES ("
                        + m.version() + ", 'by hand')");
            }
        }
        try (QueueClient client = QueueFactory.builder().type("postgres").topology(TOPOLOGY).config(ConfigSource.of(vars)).build()) {
            client.queue("jobs").send(OutgoingMessage.of("x"));
            assertThat(client.queue("jobs").stats().total()).isEqualTo(1);
        }
        TestDatabase.dropSchema(schema);
    }

    @Test
    void close_wakesBlockedLongPoll_andDoesNotHang() throws Exception {
        String schema = TestDatabase.newSchema("close");
        QueueClient client = TestDatabase.open(TOPOLOGY, schema);
        CompletableFuture<List<ReceivedMessage>> waiting = CompletableFuture.supplyAsync(
                () -> client.queue("jobs").receive(ReceiveRequest.of(1, Duration.ofSeconds(20))));
        // wait until the receive is parked in its long poll
        PostgresBackend backend = ((PostgresBackendAccess) () -> client).backend();
        long parkDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (backend.signals().waiting() == 0 && System.nanoTime() < parkDeadline) {
            Thread.onSpinWait();
        }
        assertThat(backend.signals().waiting()).isEqualTo(1);
        long start = System.nanoTime();
        client.close();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        client.close(); // twice is harmless
        assertThatThrownBy(() -> client.queue("jobs")).isInstanceOf(IllegalStateException.class);
        TestDatabase.dropSchema(schema);
    }

    @Test
    void borrowedDataSource_isUsedAndNeverClosed() throws Exception {
        String schema = TestDatabase.newSchema("borrowed");
        try (QueueClient client = QueueFactory.builder().type("postgres").topology(TOPOLOGY)
                .config(ConfigSource.of(Map.of(PostgresSettings.SCHEMA, schema)))
                .option(javax.sql.DataSource.class, TestDatabase.admin()).build()) {
            client.queue("jobs").send(OutgoingMessage.of("x"));
            assertThat(client.queue("jobs").receive(ReceiveRequest.of(1))).hasSize(1);
        }
        try (Connection c = TestDatabase.admin().getConnection()) {
            assertThat(c.isValid(5)).isTrue();
        }
        TestDatabase.dropSchema(schema);
    }

    /**
     * Connections in manual-commit mode (a pool set so, or an application's transaction) would
     * never commit the backend's statements, or have theirs committed by it: refused, with an error
     * that says so, and nothing is lost.
     */
    @Test
    void borrowedDataSource_inManualCommitMode_isRefused() throws Exception {
        String schema = TestDatabase.newSchema("manual");
        java.util.concurrent.atomic.AtomicBoolean manual = new java.util.concurrent.atomic.AtomicBoolean(true);
        javax.sql.DataSource admin = TestDatabase.admin();
        javax.sql.DataSource switching = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    Object result = method.invoke(admin, args);
                    if (result instanceof Connection c) {
                        c.setAutoCommit(!manual.get());
                    }
                    return result;
                });
        QueueFactory.Builder builder = QueueFactory.builder().type("postgres").topology(TOPOLOGY)
                .config(ConfigSource.of(Map.of(PostgresSettings.SCHEMA, schema)))
                .option(javax.sql.DataSource.class, switching);
        assertThatThrownBy(builder::build).isInstanceOf(ConfigurationException.class).hasMessageContaining("auto-commit");
        manual.set(false);
        try (QueueClient client = builder.build()) {
            client.queue("jobs").send(OutgoingMessage.of("x"));
            manual.set(true);
            assertThatThrownBy(() -> client.queue("jobs").receive(ReceiveRequest.of(1)))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("manual-commit");
            manual.set(false);
            List<ReceivedMessage> got = client.queue("jobs").receive(ReceiveRequest.of(1));
            assertThat(got).extracting(ReceivedMessage::body).containsExactly("x");
            assertThat(got.get(0).receiveCount()).isEqualTo(1);
        }
        TestDatabase.dropSchema(schema);
    }

    @Test
    void sqlErrors_becomeBackendExceptions_withSqlState() throws Exception {
        String schema = TestDatabase.newSchema("errors");
        try (QueueClient client = TestDatabase.open(TOPOLOGY, schema)) {
            try (Connection c = TestDatabase.admin().getConnection()) {
                c.createStatement().execute("ALTER TABLE " + Sql.quote(schema) + ".message RENAME TO message_gone");
            }
            assertThatThrownBy(() -> client.queue("jobs").receive(ReceiveRequest.of(1)))
                    .isInstanceOf(BackendException.class)
                    .hasMessageContaining("42P01")
                    .hasMessageContaining("'jobs'")
                    .satisfies(e -> assertThat(((SQLException) e.getCause()).getSQLState()).isEqualTo("42P01"));
            assertThat(client.queue("jobs").sendBatch(List.of(OutgoingMessage.of("x"))).get(0).succeeded()).isFalse();
            try (Connection c = TestDatabase.admin().getConnection()) {
                c.createStatement().execute("ALTER TABLE " + Sql.quote(schema) + ".message_gone RENAME TO message");
            }
            client.queue("jobs").send(OutgoingMessage.of("back"));
            assertThat(client.queue("jobs").receive(ReceiveRequest.of(1))).hasSize(1);
        }
        TestDatabase.dropSchema(schema);
    }

    @Test
    void lostConnections_areRecovered_andPushWakeUpReturns() throws Exception {
        String schema = TestDatabase.newSchema("recover");
        try (QueueClient client = TestDatabase.open(TOPOLOGY, schema)) {
            PostgresBackend backend = ((PostgresBackendAccess) () -> client).backend();
            assertThat(backend.listener().awaitListening(Duration.ofSeconds(10))).isTrue();
            // the database drops every connection of the backend (as in a failover or restart)
            try (Connection c = TestDatabase.admin().getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            + "WHERE pid <> pg_backend_pid() AND (application_name = 'mq4j-listener' OR query LIKE ?)")) {
                ps.setString(1, "%" + schema + "%");
                ps.executeQuery().close();
            }
            // at most the first operations on dead pooled connections fail; then everything works
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean sent = false;
            while (!sent && System.nanoTime() < deadline) {
                try {
                    client.queue("jobs").send(OutgoingMessage.of("after"));
                    sent = true;
                } catch (BackendException e) {
                    assertThat(e.getCause()).isInstanceOf(SQLException.class);
                }
            }
            assertThat(sent).isTrue();
            assertThat(client.queue("jobs").receive(ReceiveRequest.of(1, Duration.ofSeconds(5)))).hasSize(1);
            CompletableFuture<List<ReceivedMessage>> waiting = CompletableFuture.supplyAsync(
                    () -> client.queue("jobs").receive(ReceiveRequest.of(1, Duration.ofSeconds(20))));
            client.queue("jobs").send(OutgoingMessage.of("wake"));
            assertThat(waiting.get(25, TimeUnit.SECONDS)).extracting(ReceivedMessage::body).containsExactly("wake");
        }
        TestDatabase.dropSchema(schema);
    }
}
