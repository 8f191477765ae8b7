package io.github.mq4j.examples;

import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.postgres.PostgresSettings;
import io.github.mq4j.postgres.TransactionalSender;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outbox pattern without an outbox table (PostgreSQL only): an order row and the job that
 * processes it are written in one transaction of the application's own connection. If the
 * transaction rolls back there is no job; when it commits, a long-polling consumer wakes at once.
 *
 * <p>Needs a PostgreSQL server: {@code MESSAGE_QUEUE_POSTGRES_URL} (default
 * {@value #DEFAULT_URL}), {@code MESSAGE_QUEUE_POSTGRES_USER} (default {@code postgres}) and
 * {@code MESSAGE_QUEUE_POSTGRES_PASSWORD}. Works in schema {@value ExampleBackend#POSTGRES_SCHEMA}.
 */
public final class TransactionalSendExample {
    /** The server used when {@code MESSAGE_QUEUE_POSTGRES_URL} is not set. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String SCHEMA = ExampleBackend.POSTGRES_SCHEMA;

    private TransactionalSendExample() {}

    /** What happened: the jobs queued after the rollback (none), and the jobs the consumer got after the commit. */
    public record Outcome(long queuedAfterRollback, List<String> processed) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Outcome outcome = run(env.getOrDefault(PostgresSettings.URL, DEFAULT_URL), env.getOrDefault(PostgresSettings.USER, "postgres"),
                env.getOrDefault(PostgresSettings.PASSWORD, ""), System.out);
        System.out.println("jobs after the rollback: " + outcome.queuedAfterRollback() + "; processed after the commit: "
                + outcome.processed());
    }

    /** Places an order that is rolled back and one that commits, each with its job, on the server at {@code url}. */
    public static Outcome run(String url, String user, String password, PrintStream out) throws SQLException, InterruptedException {
        try (QueueClient client = QueueFactory.builder().type("postgres")
                        .config(Map.of(PostgresSettings.URL, url, PostgresSettings.USER, user, PostgresSettings.PASSWORD, password,
                                PostgresSettings.SCHEMA, SCHEMA))
                        .build();
                Connection app = DriverManager.getConnection(url, user, password)) {
            client.queue("async-jobs").purge();
            try (Statement s = app.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".orders (id bigint PRIMARY KEY, total numeric)");
                s.execute("TRUNCATE " + SCHEMA + ".orders");
            }
            TransactionalSender outbox = TransactionalSender.create(client.topology(), SCHEMA);

            // a consumer long-polls in the background; the commit below wakes it
            CompletableFuture<List<ReceivedMessage>> consumer = CompletableFuture.supplyAsync(() -> {
                List<ReceivedMessage> got = client.queue("async-jobs").receive(ReceiveRequest.of(10, Duration.ofSeconds(20)));
                got.forEach(m -> {
                    out.println("consumer: processing " + m.body());
                    client.queue("async-jobs").delete(m);
                });
                return got;
            });

            app.setAutoCommit(false);
            placeOrder(app, outbox, 1, "19.90");
            app.rollback(); // the customer cancelled: no order, and no job
            long afterRollback = client.queue("async-jobs").stats().total();
            out.println("after the rollback: " + afterRollback + " job(s) queued");

            placeOrder(app, outbox, 2, "42.00");
            app.commit();   // the order and its job, together; the consumer wakes now
            List<String> processed = consumer.join().stream().map(ReceivedMessage::body).toList();
            return new Outcome(afterRollback, processed);
        }
    }

    static void placeOrder(Connection app, TransactionalSender outbox, long id, String total) throws SQLException {
        try (PreparedStatement insert = app.prepareStatement("INSERT INTO mq4j_example.orders VALUES (?, ?::numeric)")) {
            insert.setLong(1, id);
            insert.setString(2, total);
            insert.executeUpdate();
        }
        // the job is inserted on the same connection, in the same transaction: both or neither
        outbox.send(app, "async-jobs", OutgoingMessage.builder("{\"order\":" + id + "}").attribute("type", "order.placed").build());
    }
}
