package io.github.mq4j.postgres;

import io.github.mq4j.QueueSpec;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * One redrive: moves the visible messages of a dead-letter queue, chunk by chunk (one
 * transaction each), to their source queues or to the request's destination, at most the
 * request's rate. Moved messages get a new row number (so no receipt from before the move is
 * current) and the end of their group in a FIFO destination. Not thread-safe; one per call.
 */
final class Redrive {
    private final MessageStore store;
    private final Map<String, Integer> queueIds;
    private final DataSource dataSource;
    private final QueueSpec deadLetterQueue;
    private final @Nullable Integer destination;
    private final @Nullable Integer rate;
    private final String[] sourceNames;
    private final Integer[] sourceIds;
    private final Set<String> targets = new LinkedHashSet<>();
    private final Map<Integer, String> namesById = new java.util.HashMap<>();
    private long moved;

    Redrive(MessageStore store, Topology topology, Map<String, Integer> queueIds, DataSource dataSource,
            QueueSpec deadLetterQueue, RedriveRequest request) {
        this.store = store;
        this.queueIds = queueIds;
        this.dataSource = dataSource;
        this.deadLetterQueue = deadLetterQueue;
        this.destination = request.destination() == null ? null : queueIds.get(request.destination());
        this.rate = request.maxMessagesPerSecond();
        List<String> names = new ArrayList<>();
        for (QueueSpec q : topology.queues()) {
            if (q.fifo() == deadLetterQueue.fifo() && !q.name().equals(deadLetterQueue.name())) {
                names.add(q.name());
            }
        }
        this.sourceNames = names.toArray(String[]::new);
        this.sourceIds = names.stream().map(queueIds::get).toArray(Integer[]::new);
        queueIds.forEach((name, id) -> namesById.put(id, name));
    }

    long moved() {
        return moved;
    }

    /** The queues that received messages. */
    Set<String> targets() {
        return targets;
    }

    long run(int chunk) throws SQLException, InterruptedException {
        int limit = rate == null ? chunk : Math.min(chunk, rate);
        while (true) {
            long start = System.nanoTime();
            int n = deadLetterQueue.fifo() ? moveFifo(limit) : moveStandard(limit);
            moved += n;
            if (n == 0) {
                return moved;
            }
            if (rate != null) {
                long due = start + 1_000_000_000L * n / rate;
                long left = due - System.nanoTime();
                if (left > 0) {
                    Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                }
            }
        }
    }

    private int moveStandard(int limit) throws SQLException {
        String s = Sql.quote(store.schema);
        try (Connection c = Sql.connection(dataSource);
                PreparedStatement ps = store.prepare(c, "WITH c AS (SELECT id, dead_letter_source FROM " + s + ".message "
                        + "WHERE queue_id = ? AND head AND visible_at <= now() AND (?::int IS NOT NULL OR dead_letter_source = ANY(?::text[])) "
                        + "ORDER BY visible_at LIMIT ? FOR UPDATE SKIP LOCKED), "
                        + "t AS (SELECT c.id, coalesce(?::int, q.qid) AS target FROM c LEFT JOIN unnest(?::text[], ?::int[]) AS q(name, qid) "
                        + "ON q.name = c.dead_letter_source) "
                        + "UPDATE " + s + ".message m SET id = nextval('" + s + ".message_seq'), queue_id = t.target, receive_count = 0, "
                        + "visible_at = now(), sent_at = now(), first_received_at = NULL, dead_letter_source = NULL "
                        + "FROM t WHERE m.id = t.id AND t.target IS NOT NULL RETURNING m.queue_id")) {
            ps.setInt(1, queueIds.get(deadLetterQueue.name()));
            setNullableInt(ps, 2, destination);
            ps.setArray(3, c.createArrayOf("text", sourceNames));
            ps.setInt(4, limit);
            setNullableInt(ps, 5, destination);
            ps.setArray(6, c.createArrayOf("text", sourceNames));
            ps.setArray(7, c.createArrayOf("int4", sourceIds));
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    targets.add(namesById.get(rs.getInt(1)));
                    n++;
                }
            }
            return n;
        }
    }

    private record Row(long id, String group, int target) {}

    private int moveFifo(int limit) throws SQLException {
        String s = Sql.quote(store.schema);
        int dlq = queueIds.get(deadLetterQueue.name());
        try (Connection c = Sql.connection(dataSource)) {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = store.prepare(c, "SELECT id, group_id, dead_letter_source FROM " + s + ".message "
                    + "WHERE queue_id = ? AND visible_at <= now() AND (?::int IS NOT NULL OR dead_letter_source = ANY(?::text[])) "
                    + "ORDER BY id LIMIT ?")) {
                ps.setInt(1, dlq);
                setNullableInt(ps, 2, destination);
                ps.setArray(3, c.createArrayOf("text", sourceNames));
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int target = destination != null ? destination : queueIds.get(rs.getString(3));
                        rows.add(new Row(rs.getLong(1), rs.getString(2), target));
                    }
                }
            }
            if (rows.isEmpty()) {
                return 0;
            }
            return PostgresBackend.inTransaction(c, () -> {
                Integer[] lockQueues = new Integer[rows.size() * 2];
                String[] lockGroups = new String[rows.size() * 2];
                for (int i = 0; i < rows.size(); i++) {
                    lockQueues[2 * i] = dlq;
                    lockGroups[2 * i] = rows.get(i).group();
                    lockQueues[2 * i + 1] = rows.get(i).target();
                    lockGroups[2 * i + 1] = rows.get(i).group();
                }
                store.lockGroups(c, lockQueues, lockGroups);
                int n = 0;
                Set<String> groups = new LinkedHashSet<>();
                try (PreparedStatement ps = store.prepare(c, "UPDATE " + s + ".message m SET id = nextval('" + s + ".message_seq'), "
                        + "queue_id = ?, receive_count = 0, visible_at = now(), sent_at = now(), first_received_at = NULL, dead_letter_source = NULL, "
                        + "head = NOT EXISTS (SELECT 1 FROM " + s + ".message x WHERE x.queue_id = ? AND x.group_id = m.group_id) "
                        + "WHERE m.id = ? AND m.queue_id = ? AND m.visible_at <= now()")) {
                    for (Row r : rows) {
                        ps.setInt(1, r.target());
                        ps.setInt(2, r.target());
                        ps.setLong(3, r.id());
                        ps.setInt(4, dlq);
                        if (ps.executeUpdate() == 1) {
                            n++;
                            groups.add(r.group());
                            targets.add(namesById.get(r.target()));
                        }
                    }
                }
                for (String g : groups) {
                    store.promote(c, dlq, g);
                }
                return n;
            });
        }
    }

    private static void setNullableInt(PreparedStatement ps, int index, @Nullable Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, java.sql.Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }
}
