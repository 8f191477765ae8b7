package io.github.mq4j.examples;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.Topology;
import io.github.mq4j.postgres.TransactionalSender;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The outbox pattern without an outbox table (PostgreSQL only): an order row and the job that
 * processes it are written in one transaction of the application's own connection. If the
 * transaction rolls back, there is no job; when it commits, a long-polling worker wakes at once.
 *
 * <p>Run against a PostgreSQL server: {@code MESSAGE_QUEUE_POSTGRES_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}) and {@code MESSAGE_QUEUE_POSTGRES_USER} (default
 * {@code postgres}). Works in schema {@code mq4j_example}.
 */
public final class TransactionalSendExample {
    private TransactionalSendExample() {}

    public static void main(String[] args) throws Exception {
        String url = System.getenv().getOrDefault("MESSAGE_QUEUE_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getenv().getOrDefault("MESSAGE_QUEUE_POSTGRES_USER", "postgres");
        String password = System.getenv().getOrDefault("MESSAGE_QUEUE_POSTGRES_PASSWORD", "");
        Topology topology = Topology.defaults();
        try (QueueClient client = QueueFactory.builder().type("postgres").topology(topology)
                .config(ConfigSource.of(Map.of("MESSAGE_QUEUE_POSTGRES_URL", url, "MESSAGE_QUEUE_POSTGRES_USER", user,
                        "MESSAGE_QUEUE_POSTGRES_SCHEMA", "mq4j_example")))
                .build();
                Connection app = DriverManager.getConnection(url, user, password)) {
            client.queue("async-jobs").purge();
            app.createStatement().execute("CREATE TABLE IF NOT EXISTS mq4j_example.orders (id bigint PRIMARY KEY, total numeric)");
            app.createStatement().execute("TRUNCATE mq4j_example.orders");
            TransactionalSender outbox = TransactionalSender.create(client.topology(), "mq4j_example");

            // a worker long-polls in the background
            Thread worker = new Thread(() -> {
                List<ReceivedMessage> got = client.queue("async-jobs").receive(ReceiveRequest.of(10, Duration.ofSeconds(20)));
                for (ReceivedMessage m : got) {
                    System.out.println("worker: processing " + m.body());
                    client.queue("async-jobs").delete(m.receipt());
                }
            }, "example-worker");
            worker.start();

            app.setAutoCommit(false);
            placeOrder(app, outbox, 1, "19.90");
            app.rollback(); // the customer cancelled: no order, and no job
            System.out.println("after rollback: " + client.queue("async-jobs").stats().total() + " job(s) queued");

            placeOrder(app, outbox, 2, "42.00");
            app.commit(); // the order and its job, together; the worker wakes now
            worker.join();
        }
    }

    private static void placeOrder(Connection app, TransactionalSender outbox, long id, String total) throws SQLException {
        try (PreparedStatement ps = app.prepareStatement("INSERT INTO mq4j_example.orders VALUES (?, ?::numeric)")) {
            ps.setLong(1, id);
            ps.setString(2, total);
            ps.executeUpdate();
        }
        outbox.send(app, "async-jobs", OutgoingMessage.builder("{\"order\":" + id + "}").attribute("type", "order.placed").build());
    }
}
