package io.github.mq4j.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells other application instances that a queue has new visible messages: {@code NOTIFY} on the
 * schema's channel, sent by one thread right after the sending transaction committed, never
 * inside it. PostgreSQL serialises the commits of transactions that notify (a database-wide lock
 * held through the commit's WAL flush), so a notification inside every send would cap sends at
 * one commit per disk flush; sent afterwards, requests for one queue that arrive while a
 * notification is under way, or within {@link #SPACING_NANOS} of its start, are folded into the
 * next one. A lost notification costs only latency: receivers also poll. Thread-safe.
 */
final class Notifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private static final long PAUSE_AFTER_FAILURE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /**
     * The least time from the start of one notification to the next. Requests meanwhile fold into
     * the next: under a steady stream of sends, other instances' receivers wake at most this much
     * later, and the notifications cost a fraction of what one per send round would.
     */
    static final long SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final DataSource dataSource;
    private final String channel;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    Notifier(DataSource dataSource, String channel, String threadName) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Asks for a notification that {@code queue} has new messages; returns at once. */
    void request(String queue) {
        if (pending.add(queue)) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        long last = System.nanoTime() - SPACING_NANOS;
        while (!closed) {
            if (pending.isEmpty()) {
                LockSupport.park(this);
                continue;
            }
            long early = last + SPACING_NANOS - System.nanoTime();
            if (early > 0) {
                LockSupport.parkNanos(this, early);
                continue;
            }
            last = System.nanoTime();
            notifyPending();
        }
        notifyPending(); // what was requested while it waited out the spacing, at close
    }

    /** Sends one notification for every queue requested so far. */
    private void notifyPending() {
        if (pending.isEmpty()) {
            return;
        }
        List<String> queues = new ArrayList<>(pending.size());
        for (Iterator<String> it = pending.iterator(); it.hasNext(); ) {
            queues.add(it.next());
            it.remove();
        }
        try (Connection c = Sql.connection(dataSource);
                PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, q) FROM unnest(?::text[]) AS q")) {
            ps.setString(1, channel);
            ps.setArray(2, c.createArrayOf("text", queues.toArray()));
            ps.execute();
        } catch (SQLException | RuntimeException e) {
            log.debug("mq4j postgres channel {}: notify of {} failed; receivers elsewhere fall back to polling",
                    channel, queues, e);
            if (!closed) {
                LockSupport.parkNanos(this, PAUSE_AFTER_FAILURE_NANOS);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
