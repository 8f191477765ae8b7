package io.github.mq4j.postgres;

import io.github.mq4j.DeduplicationScope;
import io.github.mq4j.Limits;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.SendResult;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of the queue tables in one schema, as operations on a {@link Connection} that the
 * caller owns: the caller sets auto-commit and commits, so the same operations serve the
 * backend's pool and an application's own transaction. Immutable and thread-safe.
 *
 * <p>Locking rules, which keep FIFO groups consistent: the {@code head} flag of a group's
 * messages is only changed, and a message only added to a group, while holding the group's
 * transaction-scoped advisory lock {@code (queue id, hashtext(group id))}; locks of several
 * groups are taken in key order. A receive takes no group lock: it locks head rows with
 * {@code SKIP LOCKED} and the messages behind them in id order.
 */
final class MessageStore {
    /** Dead-letter moves never happen below this receive count when a queue has no policy. */
    private static final int NO_MAX_RECEIVES = Integer.MAX_VALUE;
    private static final String ROW = "m.id, m.message_id::text AS message_id, m.receive_count, m.sent_at, m.first_received_at, "
            + "m.group_id, m.dedup_id, m.dead_letter_source, m.attributes::text AS attributes, m.body";

    final String schema;
    final String channel;
    private final String now;
    private final String sendStandard;
    private final String sendFifo;
    private final String dedupLookup;
    private final String lockGroups;
    /**
     * Runs before each receive, delete and visibility change, in its transaction and round trip:
     * their plans may use neither a sequential nor a bitmap scan of the message table, only the
     * index scans that find just the rows they touch. Statistics of a queue table are out of date
     * most of the time (a queue that was nearly empty at the last ANALYZE holds 10,000 messages
     * now), and on such estimates PostgreSQL chose, for a receive, a bitmap scan of every visible
     * message of the queue and a sort of them all (3–6 ms per receive on 10,000 messages), and for
     * a delete of 100 receipts, a sequential scan of the queue's messages joined to the receipts
     * by comparing each with each (250–900 ms on 10,000 messages: a worker's deletes stalled for
     * seconds). Even on current statistics, a sequential scan's fixed cost beats 100 index lookups
     * on paper.
     */
    static final String PLAN_GUARD = "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true); ";

    /** The receive statements, by {@link #receiveKey}: each queue id and LIMIT has its own text. */
    private final java.util.concurrent.ConcurrentHashMap<Long, String> receives = new java.util.concurrent.ConcurrentHashMap<>();
    private final String quotedSchema;
    private final String async;
    private final String deleteStandard;
    /**
     * The plan guard, the statement that takes the group locks and the one that deletes and
     * promotes the next heads: one text, sent in one round trip.
     */
    private final String deleteFifo;
    private final String changeVisibility;
    private final String promote;
    private final String moveFifoToDeadLetter;
    private final String tryLockGroup;

    /** Same as {@link #MessageStore(String, boolean)} with durable acknowledgements off. */
    MessageStore(String schema) {
        this(schema, false, DatabaseClock.DATABASE);
    }

    /**
     * @param durableAcks whether receives, deletes and visibility changes wait for their commit
     *     to reach disk. Off, they commit with {@code synchronous_commit = off} (for that
     *     transaction only): a crash may forget the last fraction of a second of them, and the
     *     messages concerned are delivered again, as at-least-once allows. Sends always wait.
     */
    MessageStore(String schema, boolean durableAcks, DatabaseClock clock) {
        this.schema = schema;
        this.now = clock.expression();
        String async = durableAcks ? "" : " AND (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL";
        this.channel = "mq4j_" + schema;
        String s = Sql.quote(schema);
        this.quotedSchema = s;
        this.async = async;
        String insertStandard = "WITH ins AS (INSERT INTO " + s + ".message (queue_id, head, visible_at, sent_at, message_id, attributes, body) "
                + "SELECT ?, true, now() + make_interval(secs => t.delay), now(), gen_random_uuid(), t.attrs::jsonb, t.body "
                + "FROM unnest(?::text[], ?::text[], ?::float8[]) WITH ORDINALITY AS t(body, attrs, delay, ord) ORDER BY t.ord "
                + "RETURNING id, message_id) ";
        sendStandard = clocked(insertStandard + "SELECT id, message_id::text FROM ins");
        sendFifo = clocked("WITH input AS (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) "
                + "WITH ORDINALITY AS t(body, attrs, grp, dedup, scope, ord)), "
                + "d AS (INSERT INTO " + s + ".dedup AS e (queue_id, scope, dedup_id, expires_at, seq, message_id) "
                + "SELECT ?, i.scope, i.dedup, now() + interval '5 minutes', nextval('" + s + ".message_seq'), gen_random_uuid() "
                + "FROM input i ORDER BY i.ord "
                + "ON CONFLICT (queue_id, scope, dedup_id) DO UPDATE SET expires_at = excluded.expires_at, seq = excluded.seq, "
                + "message_id = excluded.message_id WHERE e.expires_at <= now() "
                + "RETURNING e.scope, e.dedup_id, e.seq, e.message_id), "
                + "n AS (SELECT i.*, d.seq, d.message_id, row_number() OVER (PARTITION BY i.grp ORDER BY i.ord) AS rn "
                + "FROM input i JOIN d ON d.scope = i.scope AND d.dedup_id = i.dedup), "
                + "m AS (INSERT INTO " + s + ".message (id, queue_id, head, visible_at, sent_at, message_id, group_id, dedup_id, attributes, body) "
                + "SELECT n.seq, ?, n.rn = 1 AND NOT EXISTS (SELECT 1 FROM " + s + ".message x WHERE x.queue_id = ? AND x.group_id = n.grp), "
                + "now() + make_interval(secs => ?), now(), n.message_id, n.grp, n.dedup, n.attrs::jsonb, n.body FROM n ORDER BY n.ord "
                + "RETURNING id) "
                + "SELECT n.ord, n.seq, n.message_id::text FROM n");
        dedupLookup = clocked("SELECT scope, dedup_id, seq, message_id::text FROM " + s + ".dedup "
                + "WHERE queue_id = ? AND (scope, dedup_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))");
        lockGroups = clocked("SELECT pg_advisory_xact_lock(k.q, k.h) FROM (SELECT DISTINCT q, hashtext(g) AS h "
                + "FROM unnest(?::int[], ?::text[]) AS t(q, g)) k ORDER BY k.q, k.h");
        tryLockGroup = clocked("SELECT pg_try_advisory_xact_lock(?, hashtext(?))");
        deleteStandard = PLAN_GUARD + clocked("DELETE FROM " + s + ".message m USING unnest(?::bigint[], ?::int[]) AS r(id, rc) "
                + "WHERE m.id = r.id AND m.receive_count = r.rc AND m.queue_id = ?" + async);
        deleteFifo = PLAN_GUARD + clocked("SELECT pg_advisory_xact_lock(k.q, k.h) FROM (SELECT DISTINCT queue_id AS q, hashtext(group_id) AS h "
                + "FROM " + s + ".message WHERE queue_id = ? AND id = ANY(?::bigint[])" + async + ") k ORDER BY k.q, k.h; "
                + "WITH d AS (DELETE FROM " + s + ".message m WHERE m.id IN (SELECT x.id FROM " + s + ".message x "
                + "JOIN unnest(?::bigint[], ?::int[]) AS r(id, rc) ON x.id = r.id AND x.receive_count = r.rc "
                + "WHERE x.queue_id = ? ORDER BY x.id FOR UPDATE OF x) RETURNING m.id, m.group_id, m.head), "
                + "p AS (UPDATE " + s + ".message m SET head = true WHERE m.id IN (SELECT (SELECT x.id FROM " + s + ".message x "
                + "WHERE x.queue_id = ? AND x.group_id = d.group_id AND x.id NOT IN (SELECT id FROM d) ORDER BY x.id LIMIT 1) "
                + "FROM d WHERE d.head) RETURNING m.id) "
                + "SELECT count(*) FROM p");
        changeVisibility = PLAN_GUARD + clocked("UPDATE " + s + ".message m SET visible_at = now() + make_interval(secs => r.secs) "
                + "FROM unnest(?::bigint[], ?::int[], ?::float8[]) AS r(id, rc, secs) "
                + "WHERE m.id = r.id AND m.queue_id = ? AND m.receive_count = r.rc AND m.visible_at > now()" + async + " RETURNING m.id");
        promote = clocked("UPDATE " + s + ".message SET head = true WHERE id = (SELECT id FROM " + s + ".message "
                + "WHERE queue_id = ? AND group_id = ? ORDER BY id LIMIT 1) AND NOT head");
        moveFifoToDeadLetter = clocked("UPDATE " + s + ".message m SET id = nextval('" + s + ".message_seq'), queue_id = ?, receive_count = 0, "
                + "visible_at = now(), first_received_at = NULL, dead_letter_source = ?, head = NOT EXISTS (SELECT 1 FROM "
                + s + ".message x WHERE x.queue_id = ? AND x.group_id = m.group_id) WHERE m.id = ? AND m.queue_id = ? "
                + "AND (? = 0 OR m.receive_count = ?)");
    }

    /**
     * The receive statement of queue {@code queueId} with LIMIT {@code limit}, made once. The queue
     * id and the LIMIT are literals: with either a parameter, PostgreSQL either planned every
     * execution anew (the generic plan's estimate for an unknown LIMIT never beat the custom
     * plans'), which cost up to 0.9 ms per receive, or kept a generic plan whose estimate for an
     * unknown queue ignores the table's current size: after a drained queue refilled, before the
     * next ANALYZE, it chose a bitmap scan and a sort of the whole backlog for every receive.
     */
    private String receive(boolean fifo, int queueId, int limit) {
        return receives.computeIfAbsent(receiveKey(fifo, queueId, limit),
                k -> PLAN_GUARD + (fifo ? fifoReceiveSql(queueId, limit) : receiveStandardSql(queueId, limit)));
    }

    /** Executes a statement that starts with the {@link #PLAN_GUARD}; returns the result after the guard's. */
    private static ResultSet executeGuarded(PreparedStatement ps) throws SQLException {
        ps.execute();
        if (!ps.getMoreResults()) {
            throw new SQLException("the statement after the plan guard returned no result", "XX000");
        }
        return ps.getResultSet();
    }

    private static long receiveKey(boolean fifo, int queueId, int limit) {
        return (long) queueId << 16 | (long) limit << 1 | (fifo ? 1 : 0);
    }

    /** The receive of a standard queue: at most {@code limit} messages. */
    private String receiveStandardSql(int queueId, int limit) {
        String s = quotedSchema;
        return clocked("WITH c AS (SELECT id, receive_count, sent_at FROM " + s + ".message "
                + "WHERE queue_id = " + queueId + " AND head AND visible_at <= now()" + async
                + " ORDER BY visible_at LIMIT " + limit + " FOR UPDATE SKIP LOCKED), "
                + "expired AS (DELETE FROM " + s + ".message m USING c WHERE m.id = c.id AND c.sent_at <= now() - make_interval(secs => ?) "
                + "RETURNING m.id), "
                + "moved AS (UPDATE " + s + ".message m SET queue_id = ?, receive_count = 0, visible_at = now(), "
                + "first_received_at = NULL, dead_letter_source = ? FROM c WHERE m.id = c.id "
                + "AND c.sent_at > now() - make_interval(secs => ?) AND c.receive_count >= ? RETURNING m.id), "
                + "got AS (UPDATE " + s + ".message m SET receive_count = m.receive_count + 1, "
                + "visible_at = now() + make_interval(secs => ?), first_received_at = coalesce(m.first_received_at, now()) "
                + "FROM c WHERE m.id = c.id AND c.sent_at > now() - make_interval(secs => ?) AND c.receive_count < ? "
                + "RETURNING " + ROW + ") "
                + "SELECT 0 AS kind, g.* FROM got g "
                + "UNION ALL SELECT 1, id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM moved");
    }

    /** The receive of a FIFO queue: at most {@code heads} group heads, and up to a whole receive's messages of each group. */
    private String fifoReceiveSql(int queueId, int heads) {
        String s = quotedSchema;
        return clocked("WITH h AS (SELECT id, group_id, visible_at FROM " + s + ".message "
                + "WHERE queue_id = " + queueId + " AND head AND visible_at <= now()" + async
                + " ORDER BY visible_at LIMIT " + heads + " FOR UPDATE SKIP LOCKED), "
                // each locked head and the messages after it in its group, with whether each may be delivered now
                + "f AS (SELECT h.visible_at AS hv, h.id AS hid, h.group_id, x.id, x.receive_count, "
                + "x.sent_at <= now() - make_interval(secs => ?) AS expired, x.visible_at <= now() AS visible "
                + "FROM h CROSS JOIN LATERAL (SELECT id, receive_count, sent_at, visible_at FROM " + s + ".message x "
                + "WHERE x.queue_id = " + queueId + " AND x.group_id = h.group_id AND x.id >= h.id "
                + "ORDER BY x.id LIMIT " + Limits.MAX_RECEIVE_MESSAGES + ") x), "
                // a group's run: its messages up to the first that may not be delivered
                + "r AS (SELECT f.*, bool_and(visible AND NOT expired AND receive_count < ?) OVER (PARTITION BY hid ORDER BY id) AS ok FROM f), "
                // groups in head order, each group's run in order, the first n of it all
                + "chosen AS (SELECT id, pos FROM (SELECT id, row_number() OVER (ORDER BY hv, hid, id) AS pos FROM r WHERE ok) p "
                + "WHERE pos <= ?), "
                + "got AS (UPDATE " + s + ".message m SET receive_count = m.receive_count + 1, "
                + "visible_at = now() + make_interval(secs => ?), first_received_at = coalesce(m.first_received_at, now()) "
                + "FROM chosen WHERE m.id = chosen.id AND m.visible_at <= now() RETURNING chosen.pos, " + ROW + ") "
                + "SELECT 0 AS kind, g.* FROM got g "
                + "UNION ALL SELECT 1, count(*), (SELECT count(*) FROM h), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM chosen "
                // heads that may not be delivered: past their receive count, or expired
                + "UNION ALL SELECT 2, 0, r.hid, NULL, r.receive_count, NULL, NULL, r.group_id, "
                + "CASE WHEN r.expired THEN 'expired' ELSE 'dead' END, NULL, NULL, NULL FROM r WHERE r.id = r.hid AND NOT r.ok");
    }

    /** {@code sql} with the backend's clock in place of {@code now()}. */
    String clocked(String sql) {
        return now.equals("now()") ? sql : sql.replace("now()", now);
    }

    /** Prepares {@code sql} on {@code c} with the backend's clock in place of {@code now()}. */
    java.sql.PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return c.prepareStatement(clocked(sql));
    }

    // ------------------------------------------------------------------ send

    /**
     * Sends messages already checked by core, on {@code c} (whose transaction the caller owns).
     * A FIFO send takes the advisory locks of its groups, which {@code c}'s transaction holds
     * until it ends (with auto-commit on, the locks and the insert are one transaction).
     */
    List<SendResult> send(Connection c, QueueSpec spec, int queueId, List<OutgoingMessage> messages) throws SQLException {
        return spec.fifo() ? sendFifo(c, spec, queueId, messages) : sendStandard(c, spec, queueId, messages);
    }

    private List<SendResult> sendStandard(Connection c, QueueSpec spec, int queueId, List<OutgoingMessage> messages)
            throws SQLException {
        int n = messages.size();
        String[] bodies = new String[n];
        String[] attrs = new String[n];
        Double[] delays = new Double[n];
        for (int i = 0; i < n; i++) {
            OutgoingMessage m = messages.get(i);
            bodies[i] = m.body();
            attrs[i] = Json.encode(m.attributes());
            Duration delay = m.delay() != null ? m.delay() : spec.delay();
            delays[i] = (double) delay.getSeconds();
        }
        try (PreparedStatement ps = c.prepareStatement(sendStandard)) {
            ps.setInt(1, queueId);
            ps.setArray(2, c.createArrayOf("text", bodies));
            ps.setArray(3, c.createArrayOf("text", attrs));
            ps.setArray(4, c.createArrayOf("float8", delays));
            TreeMap<Long, String> ids = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getLong(1), rs.getString(2));
                }
            }
            if (ids.size() != n) {
                throw new SQLException("inserted " + ids.size() + " of " + n + " messages", "XX000");
            }
            List<SendResult> out = new ArrayList<>(n);
            for (String id : ids.values()) {
                out.add(new SendResult(id, null));
            }
            return out;
        }
    }

    private record Sent(long seq, String messageId) {}

    private List<SendResult> sendFifo(Connection c, QueueSpec spec, int queueId, List<OutgoingMessage> messages)
            throws SQLException {
        int n = messages.size();
        // a deduplication id repeated within the batch: only its first occurrence is inserted
        Map<String, Integer> firstByKey = new LinkedHashMap<>();
        int[] firstOf = new int[n];
        List<Integer> unique = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = scope(spec, messages.get(i)) + '\u0000' + messages.get(i).deduplicationId();
            Integer first = firstByKey.putIfAbsent(key, i);
            firstOf[i] = first == null ? i : first;
            if (first == null) {
                unique.add(i);
            }
        }
        int u = unique.size();
        String[] bodies = new String[u];
        String[] attrs = new String[u];
        String[] groups = new String[u];
        String[] dedups = new String[u];
        String[] scopes = new String[u];
        for (int j = 0; j < u; j++) {
            OutgoingMessage m = messages.get(unique.get(j));
            bodies[j] = m.body();
            attrs[j] = Json.encode(m.attributes());
            groups[j] = m.groupId();
            dedups[j] = m.deduplicationId();
            scopes[j] = scope(spec, m);
        }
        Sent[] sent = new Sent[u];
        // The group locks and the insert in one round trip and one transaction; the insert takes
        // its snapshot (for "is this the first message of its group") after the locks.
        Integer[] lockQueues = new Integer[u];
        java.util.Arrays.fill(lockQueues, queueId);
        try (PreparedStatement ps = c.prepareStatement(lockGroups + "; " + sendFifo)) {
            ps.setArray(1, c.createArrayOf("int4", lockQueues));
            ps.setArray(2, c.createArrayOf("text", groups));
            ps.setArray(3, c.createArrayOf("text", bodies));
            ps.setArray(4, c.createArrayOf("text", attrs));
            ps.setArray(5, c.createArrayOf("text", groups));
            ps.setArray(6, c.createArrayOf("text", dedups));
            ps.setArray(7, c.createArrayOf("text", scopes));
            ps.setInt(8, queueId);
            ps.setInt(9, queueId);
            ps.setInt(10, queueId);
            ps.setDouble(11, spec.delay().getSeconds());
            ps.execute();
            if (!ps.getMoreResults()) {
                throw new SQLException("the FIFO send returned no result", "XX000");
            }
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    sent[(int) rs.getLong(1) - 1] = new Sent(rs.getLong(2), rs.getString(3));
                }
            }
        }
        List<Integer> duplicates = new ArrayList<>();
        for (int j = 0; j < u; j++) {
            if (sent[j] == null) {
                duplicates.add(j);
            }
        }
        if (!duplicates.isEmpty()) {
            // suppressed: the id and sequence number of the message first sent with the id
            Map<String, Sent> existing = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(dedupLookup)) {
                ps.setInt(1, queueId);
                ps.setArray(2, c.createArrayOf("text", duplicates.stream().map(j -> scopes[j]).toArray(String[]::new)));
                ps.setArray(3, c.createArrayOf("text", duplicates.stream().map(j -> dedups[j]).toArray(String[]::new)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        existing.put(rs.getString(1) + '\u0000' + rs.getString(2), new Sent(rs.getLong(3), rs.getString(4)));
                    }
                }
            }
            for (int j : duplicates) {
                sent[j] = existing.get(scopes[j] + '\u0000' + dedups[j]);
                if (sent[j] == null) {
                    throw new SQLException("deduplication entry of a suppressed send vanished; retry the send", "40001");
                }
            }
        }
        Map<Integer, Sent> byIndex = new HashMap<>();
        for (int j = 0; j < u; j++) {
            byIndex.put(unique.get(j), sent[j]);
        }
        List<SendResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Sent s = byIndex.get(firstOf[i]);
            out.add(new SendResult(s.messageId(), sequenceNumber(s.seq())));
        }
        return out;
    }

    private static String scope(QueueSpec spec, OutgoingMessage m) {
        return spec.deduplicationScope() == DeduplicationScope.MESSAGE_GROUP ? m.groupId() : "";
    }

    static String sequenceNumber(long id) {
        return String.format("%020d", id);
    }

    void notify(Connection c, String queue) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT pg_notify(?, ?)")) {
            ps.setString(1, channel);
            ps.setString(2, queue);
            ps.execute();
        }
    }

    /** Takes the advisory locks of these groups of one queue, in key order. */
    void lockGroups(Connection c, int queueId, List<String> groups) throws SQLException {
        Integer[] queues = new Integer[groups.size()];
        java.util.Arrays.fill(queues, queueId);
        lockGroups(c, queues, groups.toArray(String[]::new));
    }

    void lockGroups(Connection c, Integer[] queueIds, String[] groups) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(lockGroups)) {
            ps.setArray(1, c.createArrayOf("int4", queueIds));
            ps.setArray(2, c.createArrayOf("text", groups));
            ps.executeQuery().close();
        }
    }

    // ------------------------------------------------------------------ receive

    /**
     * What one receive attempt did: the messages it returns, how many it moved to the dead-letter
     * queue, and (FIFO) how many group heads it locked.
     */
    record Received(List<ReceivedMessage> messages, int movedToDeadLetter, int heads) {
        Received(List<ReceivedMessage> messages, int movedToDeadLetter) {
            this(messages, movedToDeadLetter, 0);
        }
    }

    /** One receive attempt on a standard queue, in one round trip and transaction (auto-commit). */
    Received receiveStandard(Connection c, QueueSpec spec, int queueId, int deadLetterQueueId, int max, Duration visibility)
            throws SQLException {
        int maxReceives = spec.deadLetter() == null ? NO_MAX_RECEIVES : spec.deadLetter().maxReceiveCount();
        double retention = spec.retention().getSeconds();
        try (PreparedStatement ps = c.prepareStatement(receive(false, queueId, max))) {
            ps.setDouble(1, retention);
            ps.setInt(2, deadLetterQueueId);
            ps.setString(3, spec.name());
            ps.setDouble(4, retention);
            ps.setInt(5, maxReceives);
            ps.setDouble(6, visibility.getSeconds());
            ps.setDouble(7, retention);
            ps.setInt(8, maxReceives);
            List<ReceivedMessage> out = new ArrayList<>(max);
            int moved = 0;
            try (ResultSet rs = executeGuarded(ps)) {
                while (rs.next()) {
                    if (rs.getInt(1) == 1) {
                        moved++;
                    } else {
                        out.add(message(rs, spec, 2));
                    }
                }
            }
            return new Received(out, moved);
        }
    }

    /**
     * One receive attempt on a FIFO queue, in one round trip and transaction ({@code c} in auto-commit): up to
     * {@code heads} heads of visible groups are locked with SKIP LOCKED, and each group's run of
     * visible messages after its head is taken in order until {@code max}. Each head locked costs
     * a row lock and a look at its group, used or not: lock as many as the runs need. A head past
     * its receive count then goes to the dead-letter queue and an expired one is deleted, in a second transaction that locks it
     * again, and only if their group locks are free.
     */
    Received receiveFifo(Connection c, QueueSpec spec, int queueId, @Nullable Integer deadLetterQueueId, int max, int heads,
            Duration visibility) throws SQLException {
        int maxReceives = spec.deadLetter() == null ? NO_MAX_RECEIVES : spec.deadLetter().maxReceiveCount();
        record Bad(long id, String group, boolean expired) {}
        List<Bad> bad = new ArrayList<>();
        TreeMap<Long, ReceivedMessage> byPosition = new TreeMap<>();
        int locked = 0;
        try (PreparedStatement ps = c.prepareStatement(receive(true, queueId, heads))) {
            ps.setDouble(1, spec.retention().getSeconds());
            ps.setInt(2, maxReceives);
            ps.setInt(3, max);
            ps.setDouble(4, visibility.getSeconds());
            try (ResultSet rs = executeGuarded(ps)) {
                while (rs.next()) {
                    switch (rs.getInt(1)) {
                        case 0 -> byPosition.put(rs.getLong(2), message(rs, spec, 3));
                        case 1 -> locked = rs.getInt(3);
                        default -> bad.add(new Bad(rs.getLong(3), rs.getString(8), "expired".equals(rs.getString(9))));
                    }
                }
            }
        }
        // A chosen message that the update did not find was deleted or moved meanwhile (only the
        // holder of its head's lock can make it in flight): the rest of its run is still in order.
        int moved = 0;
        if (!bad.isEmpty()) {
            moved = PostgresBackend.inTransaction(c, () -> {
                int n = 0;
                for (Bad b : bad) {
                    if (relockHead(c, queueId, b.id())
                            && disposeHead(c, spec, queueId, deadLetterQueueId, b.id(), b.group(), b.expired()) && !b.expired()) {
                        n++;
                    }
                }
                return n;
            });
        }
        return new Received(new ArrayList<>(byPosition.values()), moved, locked);
    }

    /**
     * Moves a FIFO head past its receive count to the dead-letter queue, or deletes it when it
     * is expired, and makes the next message of its group the head. Takes the group locks with
     * try-locks (the caller holds the head's row lock, so waiting could deadlock); returns
     * false, doing nothing, if one is busy.
     */
    boolean disposeHead(Connection c, QueueSpec spec, int queueId, @Nullable Integer deadLetterQueueId, long id, String group,
            boolean expired) throws SQLException {
        if (!tryLock(c, queueId, group)) {
            return false;
        }
        if (expired || deadLetterQueueId == null) {
            try (PreparedStatement ps = prepare(c, "DELETE FROM " + Sql.quote(schema) + ".message WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
        } else {
            if (!tryLock(c, deadLetterQueueId, group)) {
                return false;
            }
            if (!moveFifo(c, spec, queueId, deadLetterQueueId, id, 0)) {
                return false;
            }
        }
        promote(c, queueId, group);
        return true;
    }

    /** Locks a head again (for its disposal) if it is still a visible head and nobody holds it. */
    private boolean relockHead(Connection c, int queueId, long id) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT 1 FROM " + Sql.quote(schema) + ".message WHERE id = ? AND queue_id = ? "
                + "AND head AND visible_at <= now() FOR UPDATE SKIP LOCKED")) {
            ps.setLong(1, id);
            ps.setInt(2, queueId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private boolean tryLock(Connection c, int queueId, String group) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(tryLockGroup)) {
            ps.setInt(1, queueId);
            ps.setString(2, group);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Moves a FIFO message to the end of its group in the dead-letter queue; the caller holds both group locks. */
    boolean moveFifo(Connection c, QueueSpec spec, int queueId, int deadLetterQueueId, long id, int receiveCount)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(moveFifoToDeadLetter)) {
            ps.setInt(1, deadLetterQueueId);
            ps.setString(2, spec.name());
            ps.setInt(3, deadLetterQueueId);
            ps.setLong(4, id);
            ps.setInt(5, queueId);
            ps.setInt(6, receiveCount);
            ps.setInt(7, receiveCount);
            return ps.executeUpdate() == 1;
        }
    }

    /** Makes the first message of a FIFO group its head, if it is not already; the caller holds the group lock. */
    void promote(Connection c, int queueId, String group) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(promote)) {
            ps.setInt(1, queueId);
            ps.setString(2, group);
            ps.executeUpdate();
        }
    }

    /**
     * How long until the earliest head of the queue is visible: zero or less when a head is
     * visible already (a receive found none because other receivers hold those rows locked),
     * null when the queue has no message at all.
     */
    @Nullable Duration nextVisibleIn(Connection c, int queueId) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT extract(epoch FROM min(visible_at) - now()) FROM "
                + Sql.quote(schema) + ".message WHERE queue_id = ? AND head")) {
            ps.setInt(1, queueId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                double seconds = rs.getDouble(1);
                return rs.wasNull() ? null : Duration.ofMillis((long) Math.ceil(seconds * 1000));
            }
        }
    }

    private static ReceivedMessage message(ResultSet rs, QueueSpec spec, int first) throws SQLException {
        long id = rs.getLong(first);
        int receiveCount = rs.getInt(first + 2);
        return new ReceivedMessage(
                spec.name(),
                rs.getString(first + 1),
                new Receipt(id, receiveCount, spec.name()).encode(),
                rs.getString(first + 9),
                Json.decode(rs.getString(first + 8)),
                rs.getString(first + 5),
                rs.getString(first + 6),
                spec.fifo() ? sequenceNumber(id) : null,
                receiveCount,
                rs.getObject(first + 3, OffsetDateTime.class).toInstant(),
                rs.getObject(first + 4, OffsetDateTime.class).toInstant(),
                rs.getString(first + 7));
    }

    // ------------------------------------------------------------------ delete, visibility

    /** Deletes by receipt on a standard queue (one round trip: the plan guard, the delete). */
    void deleteStandard(Connection c, int queueId, List<Receipt> receipts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(deleteStandard)) {
            ps.setArray(1, c.createArrayOf("int8", receipts.stream().map(Receipt::id).toArray(Long[]::new)));
            ps.setArray(2, c.createArrayOf("int4", receipts.stream().map(Receipt::receiveCount).toArray(Integer[]::new)));
            ps.setInt(3, queueId);
            ps.execute();
            drain(ps);
        }
    }

    /**
     * Deletes by receipt on a FIFO queue and promotes the next heads; in the caller's transaction.
     * Returns how many heads it promoted: groups unblocked, whose next message receivers may now take.
     */
    int deleteFifo(Connection c, int queueId, List<Receipt> receipts) throws SQLException {
        Array ids = c.createArrayOf("int8", receipts.stream().map(Receipt::id).toArray(Long[]::new));
        // After the plan guard, two statements in one round trip and one transaction: the second,
        // which deletes and promotes the next heads, takes its snapshot after the first has the
        // group locks.
        try (PreparedStatement ps = c.prepareStatement(deleteFifo)) {
            ps.setInt(1, queueId);
            ps.setArray(2, ids);
            ps.setArray(3, ids);
            ps.setArray(4, c.createArrayOf("int4", receipts.stream().map(Receipt::receiveCount).toArray(Integer[]::new)));
            ps.setInt(5, queueId);
            ps.setInt(6, queueId);
            executeGuarded(ps).close(); // the lock statement's result; the next is the count
            int promoted = 0;
            if (ps.getMoreResults()) {
                try (ResultSet rs = ps.getResultSet()) {
                    promoted = rs.next() ? rs.getInt(1) : 0;
                }
            }
            drain(ps);
            return promoted;
        }
    }

    /** Reads the remaining results of a multi-statement execution (pgjdbc has thrown any statement's error already). */
    private static void drain(PreparedStatement ps) throws SQLException {
        while (ps.getMoreResults() || ps.getUpdateCount() != -1) {
            // nothing to read
        }
    }

    /** Changes visibility by receipt; returns the ids changed (a receipt whose id is missing was stale). */
    java.util.Set<Long> changeVisibility(Connection c, int queueId, List<Receipt> receipts, List<Duration> timeouts)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(changeVisibility)) {
            ps.setArray(1, c.createArrayOf("int8", receipts.stream().map(Receipt::id).toArray(Long[]::new)));
            ps.setArray(2, c.createArrayOf("int4", receipts.stream().map(Receipt::receiveCount).toArray(Integer[]::new)));
            ps.setArray(3, c.createArrayOf("float8", timeouts.stream().map(d -> (double) d.getSeconds()).toArray(Double[]::new)));
            ps.setInt(4, queueId);
            java.util.Set<Long> changed = new java.util.HashSet<>();
            try (ResultSet rs = executeGuarded(ps)) {
                while (rs.next()) {
                    changed.add(rs.getLong(1));
                }
            }
            return changed;
        }
    }
}
