package io.github.mq4j.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's one {@code LISTEN} connection: a named thread that waits for notifications of
 * sends and wakes the long-polling receives of the queue named in each. When the connection
 * breaks it wakes every receive (they look for themselves) and reconnects with a backoff.
 * {@link #close()} closes the connection, which is what wakes a blocked
 * {@link PGConnection#getNotifications(int)}; interrupting the thread would not. Thread-safe.
 */
final class Listener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);

    private final String schema;
    private final String channel;
    private final Callable<Connection> connector;
    private final Signals signals;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;
    private final java.util.concurrent.CountDownLatch listening = new java.util.concurrent.CountDownLatch(1);

    Listener(String schema, String channel, Callable<Connection> connector, Signals signals) {
        this.schema = schema;
        this.channel = channel;
        this.connector = connector;
        this.signals = signals;
        this.thread = new Thread(this::run, "mq4j-postgres-listener-" + schema);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits until the first {@code LISTEN} is in place (for tests that must not miss a notification). */
    boolean awaitListening(Duration max) throws InterruptedException {
        return listening.await(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void run() {
        long backoffMillis = 100;
        while (!closed) {
            try (Connection c = connector.call()) {
                connection = c;
                if (closed) {
                    return;
                }
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + Sql.quote(channel));
                }
                listening.countDown();
                backoffMillis = 100;
                // anything sent while we were not listening: let every receive look
                signals.fireAll();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications((int) HEARTBEAT.toMillis());
                    if (notifications == null || notifications.length == 0) {
                        // a quiet spell: make sure the connection is still there (a half-open
                        // connection would otherwise leave us waiting forever)
                        try (Statement st = c.createStatement()) {
                            st.execute("SELECT 1");
                        }
                        continue;
                    }
                    for (PGNotification n : notifications) {
                        signals.fire(n.getParameter());
                    }
                }
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                log.warn("mq4j postgres schema {}: notification listener lost its connection ({}); reconnecting in {} ms",
                        schema, e instanceof SQLException s ? "SQL state " + s.getSQLState() : e.getClass().getSimpleName(),
                        backoffMillis);
                signals.fireAll();
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            } finally {
                connection = null;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            // abort the physical connection: closing a pooled proxy would only return it to the
            // pool and leave getNotifications blocked. The listener thread then closes the
            // connection itself (closing it here as well would close it twice).
            try {
                c.unwrap(org.postgresql.core.BaseConnection.class).abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                log.debug("mq4j postgres schema {}: aborting the listener connection failed; closing it", schema, e);
                try {
                    c.close();
                } catch (SQLException closeFailed) {
                    log.debug("mq4j postgres schema {}: closing the listener connection failed", schema, closeFailed);
                }
            }
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("mq4j postgres schema {}: listener thread did not stop within 5 s", schema);
        }
    }
}
