package io.github.mq4j.postgres;

import io.github.mq4j.BackendException;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.SendChecks;
import io.github.mq4j.SendResult;
import io.github.mq4j.Topology;
import io.github.mq4j.ValidationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends messages inside the application's own transaction, on the application's own
 * {@link Connection}: a message exists if and only if that transaction commits, and long-polling
 * receivers wake when it commits ({@code NOTIFY} is delivered at commit). This is the outbox
 * pattern without an outbox table.
 *
 * <pre>{@code
 * TransactionalSender outbox = TransactionalSender.create(client.topology(), "mq4j");
 * try (Connection c = dataSource.getConnection()) {
 *     c.setAutoCommit(false);
 *     insertOrder(c, order);
 *     outbox.send(c, "async-jobs", OutgoingMessage.of("{\"order\":" + order.id() + "}"));
 *     c.commit();   // the order and the message, or neither
 * }
 * }</pre>
 *
 * <p>Every message goes through the same checks as {@link io.github.mq4j.MessageQueue#send}.
 * The connection must reach the database and schema of the queue tables (the backend creates
 * them; this class never migrates). A send to a FIFO queue takes its group's advisory lock,
 * held until the transaction ends: keep such transactions short. The sender never commits,
 * rolls back, or closes the connection. Thread-safe; a connection is used by one thread at a time.
 */
public final class TransactionalSender {
    private final Topology topology;
    private final MessageStore store;
    private final Map<String, Integer> queueIds = new ConcurrentHashMap<>();

    private TransactionalSender(Topology topology, String schema) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.store = new MessageStore(PostgresSettings.checkSchema(schema), true, DatabaseClock.DATABASE);
    }

    /**
     * A sender for the queues of {@code topology} whose tables are in {@code schema} (the
     * backend's {@code MESSAGE_QUEUE_POSTGRES_SCHEMA}, by default {@code mq4j}).
     *
     * @throws io.github.mq4j.ConfigurationException if the schema name is not valid
     */
    public static TransactionalSender create(Topology topology, String schema) {
        return new TransactionalSender(topology, schema);
    }

    /** A sender for the queues of {@code topology} in the default schema {@code mq4j}. */
    public static TransactionalSender create(Topology topology) {
        return new TransactionalSender(topology, PostgresSettings.DEFAULT_SCHEMA);
    }

    /**
     * Sends one message to {@code queue} in {@code connection}'s current transaction.
     *
     * @throws io.github.mq4j.UnknownQueueException if the topology has no such queue
     * @throws ValidationException if the message breaks a limit (nothing was sent)
     * @throws BackendException if the database refused (the transaction is then usually aborted)
     * @throws IllegalStateException if the connection is in auto-commit mode
     */
    public SendResult send(Connection connection, String queue, OutgoingMessage message) {
        return sendBatch(connection, queue, List.of(message)).get(0);
    }

    /**
     * Sends messages to {@code queue} in {@code connection}'s current transaction. All or none:
     * the batch is checked whole before anything is sent, and the transaction decides.
     *
     * @return one result per message, in order
     * @throws ValidationException for the first message that breaks a limit (nothing was sent)
     */
    public List<SendResult> sendBatch(Connection connection, String queue, List<OutgoingMessage> messages) {
        Objects.requireNonNull(connection, "connection");
        QueueSpec spec = topology.queue(queue);
        if (messages.isEmpty() || messages.size() > 10) {
            throw new ValidationException("messages", queue, "messages has " + messages.size() + " entries; a batch takes 1 to 10");
        }
        List<OutgoingMessage> checked = new ArrayList<>(messages.size());
        for (OutgoingMessage m : messages) {
            checked.add(SendChecks.checked(spec, m));
        }
        try {
            if (connection.getAutoCommit()) {
                throw new IllegalStateException("the connection is in auto-commit mode; a transactional send needs a transaction "
                        + "(call setAutoCommit(false) first)");
            }
            List<SendResult> sent = store.send(connection, spec, queueId(connection, queue), checked);
            // inside the application's transaction: receivers wake when, and only if, it commits
            store.notify(connection, queue);
            return sent;
        } catch (SQLException e) {
            throw Sql.translate("send " + messages.size() + " message(s) in the application's transaction", queue, e);
        }
    }

    private int queueId(Connection c, String queue) throws SQLException {
        Integer id = queueIds.get(queue);
        if (id != null) {
            return id;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + Sql.quote(store.schema) + ".queue WHERE name = ?")) {
            ps.setString(1, queue);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new BackendException("queue '" + queue + "' has no table rows in schema " + store.schema
                            + "; open the postgres backend for this topology once, so that it registers its queues", queue, null);
                }
                queueIds.put(queue, rs.getInt(1));
                return rs.getInt(1);
            }
        }
    }

    @Override
    public String toString() {
        return "TransactionalSender[schema=" + store.schema + ", queues=" + topology.names() + "]";
    }
}
