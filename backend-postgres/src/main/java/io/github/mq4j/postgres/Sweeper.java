package io.github.mq4j.postgres;

import io.github.mq4j.QueueSpec;
import io.github.mq4j.Topology;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Housekeeping: deletes messages past their queue's retention and expired deduplication ids.
 * One pass is one transaction that first takes a transaction-scoped advisory try-lock, so only
 * one application instance sweeps at a time, and that does a bounded amount of work: it looks
 * at the first {@link #SCAN} visible messages of each queue (where the oldest are) and deletes
 * at most {@link #DEDUP_BATCH} deduplication ids. Receives skip and delete expired messages
 * they meet, so retention holds between passes. Thread-safe.
 */
final class Sweeper {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
    static final int SCAN = 1000;
    static final int DEDUP_BATCH = 5000;
    /** Fewer dead rows than this (or than a tenth of the live ones) never trigger a vacuum. */
    static final long VACUUM_MIN_DEAD = 20_000;

    private final MessageStore store;
    private final Topology topology;
    private final Map<String, Integer> queueIds;
    private final DataSource dataSource;
    private final long lockKey;
    /** Set once VACUUM drew a warning: this role is not the table's owner. */
    private volatile boolean vacuumRefused;

    Sweeper(MessageStore store, Topology topology, Map<String, Integer> queueIds, DataSource dataSource) {
        this.store = store;
        this.topology = topology;
        this.queueIds = queueIds;
        this.dataSource = dataSource;
        CRC32 crc = new CRC32();
        crc.update(("mq4j:sweep:" + store.schema).getBytes(StandardCharsets.UTF_8));
        this.lockKey = 0x6d71_346a_0000_0000L | crc.getValue() | (1L << 40);
    }

    /**
     * Vacuums the message table when dead rows pile up faster than autovacuum removes them (or
     * autovacuum is off on the server): a receive walks the index entries of every message
     * consumed since the last vacuum before it reaches a live one, so dead entries cost every
     * receive. Runs {@code VACUUM} (which only the table's owner may run; others get a warning and
     * nothing happens; then it stops trying) under a session advisory try-lock, so one instance
     * vacuums at a time. Returns whether it vacuumed.
     */
    boolean vacuumIfNeeded() throws SQLException {
        if (vacuumRefused) {
            return false;
        }
        String table = Sql.quote(store.schema) + ".message";
        try (Connection c = Sql.connection(dataSource)) {
            long dead;
            long live;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT n_dead_tup, n_live_tup FROM pg_stat_user_tables WHERE relid = ?::regclass")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    dead = rs.getLong(1);
                    live = rs.getLong(2);
                }
            }
            if (dead < Math.max(VACUUM_MIN_DEAD, live / 10)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, lockKey + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return false;
                    }
                }
            }
            try {
                long start = System.nanoTime();
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("VACUUM " + table);
                    if (st.getWarnings() != null) {
                        vacuumRefused = true;
                        log.info("mq4j postgres schema {}: this role may not vacuum the message table ({}); leaving it"
                                + " to autovacuum", store.schema, st.getWarnings().getMessage());
                        return false;
                    }
                }
                log.debug("mq4j postgres schema {}: vacuumed the message table ({} dead rows) in {} ms", store.schema, dead,
                        (System.nanoTime() - start) / 1_000_000);
                return true;
            } finally {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    ps.setLong(1, lockKey + 1);
                    ps.execute();
                }
            }
        }
    }

    /** One pass; false if another instance holds the sweep lock. */
    boolean sweep() throws SQLException {
        String s = Sql.quote(store.schema);
        try (Connection c = Sql.connection(dataSource)) {
            return PostgresBackend.inTransaction(c, () -> {
                try (PreparedStatement ps = store.prepare(c, "SELECT pg_try_advisory_xact_lock(?)")) {
                    ps.setLong(1, lockKey);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            return false;
                        }
                    }
                }
                long expired = 0;
                for (QueueSpec q : topology.queues()) {
                    expired += q.fifo() ? sweepFifo(c, s, q) : sweepStandard(c, s, q);
                }
                long dedups;
                try (PreparedStatement ps = store.prepare(c, "DELETE FROM " + s + ".dedup WHERE ctid = ANY(ARRAY("
                        + "SELECT ctid FROM " + s + ".dedup WHERE expires_at <= now() LIMIT " + DEDUP_BATCH + "))")) {
                    dedups = ps.executeUpdate();
                }
                if (expired > 0 || dedups > 0) {
                    log.debug("mq4j postgres schema {}: swept {} expired message(s), {} deduplication id(s)", store.schema,
                            expired, dedups);
                }
                return true;
            });
        }
    }

    private int sweepStandard(Connection c, String s, QueueSpec q) throws SQLException {
        try (PreparedStatement ps = store.prepare(c, "WITH v AS (SELECT id, sent_at FROM " + s + ".message "
                + "WHERE queue_id = ? AND head AND visible_at <= now() ORDER BY visible_at LIMIT " + SCAN + "), "
                + "x AS (SELECT m.id FROM " + s + ".message m JOIN v ON m.id = v.id "
                + "WHERE v.sent_at <= now() - make_interval(secs => ?) FOR UPDATE OF m SKIP LOCKED) "
                + "DELETE FROM " + s + ".message WHERE id IN (SELECT id FROM x)")) {
            ps.setInt(1, queueIds.get(q.name()));
            ps.setDouble(2, q.retention().getSeconds());
            int n = ps.executeUpdate();
            if (n > 0) {
                log.debug("mq4j postgres queue {}: deleted {} message(s) past retention", q.name(), n);
            }
            return n;
        }
    }

    private int sweepFifo(Connection c, String s, QueueSpec q) throws SQLException {
        int queueId = queueIds.get(q.name());
        record Head(long id, String group) {}
        List<Head> heads = new ArrayList<>();
        try (PreparedStatement ps = store.prepare(c, "WITH v AS (SELECT id, sent_at FROM " + s + ".message "
                + "WHERE queue_id = ? AND head AND visible_at <= now() ORDER BY visible_at LIMIT " + SCAN + ") "
                + "SELECT m.id, m.group_id FROM " + s + ".message m JOIN v ON m.id = v.id "
                + "WHERE v.sent_at <= now() - make_interval(secs => ?) FOR UPDATE OF m SKIP LOCKED")) {
            ps.setInt(1, queueId);
            ps.setDouble(2, q.retention().getSeconds());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heads.add(new Head(rs.getLong(1), rs.getString(2)));
                }
            }
        }
        int n = 0;
        for (Head h : heads) {
            if (store.disposeHead(c, q, queueId, null, h.id(), h.group(), true)) {
                n++;
            }
        }
        if (n > 0) {
            log.debug("mq4j postgres queue {}: deleted {} message(s) past retention", q.name(), n);
        }
        return n;
    }
}
