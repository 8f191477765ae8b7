package io.github.mq4j.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.github.mq4j.BackendException;
import io.github.mq4j.BatchResult;
import io.github.mq4j.ConfigurationException;
import io.github.mq4j.MessageQueueException;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.RedriveResult;
import io.github.mq4j.SendResult;
import io.github.mq4j.StaleReceiptException;
import io.github.mq4j.Topology;
import io.github.mq4j.ValidationException;
import io.github.mq4j.VisibilityChange;
import io.github.mq4j.spi.QueueBackend;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL backend: the queues of one topology in the tables of one schema. Opened by
 * {@link PostgresBackendProvider}; owns a HikariCP pool when it built one from the settings, or
 * borrows the application's {@link DataSource} and never closes it. Runs one listener thread
 * (push wake-up of long polls) and one sweeper thread (retention, expired deduplication ids).
 * Thread-safe.
 */
final class PostgresBackend implements QueueBackend {
    private static final Logger log = LoggerFactory.getLogger(PostgresBackend.class);
    /** The longest a long poll sleeps without looking, when no notification and no known visibility time wakes it. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    /** How often the sweeper runs. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);
    /** How often the backend checks whether its message table needs a vacuum. */
    static final Duration VACUUM_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final int REDRIVE_CHUNK = 100;
    /** Group commit: how many combined rounds of one kind may run at once on one queue. */
    static final int ROUNDS_AT_ONCE = 1;
    /** Group commit: the most messages (or receipts) one combined statement takes. */
    static final int GROUP_COMMIT_MAX_MESSAGES = 1_000;
    /** Group commit: the most body characters one combined send takes. */
    static final int GROUP_COMMIT_MAX_CHARS = 1 << 20;
    /** Up to this many messages of each kind, {@link #stats} counts exactly. */
    static final int EXACT_COUNT_LIMIT = 10_000;

    private final Topology topology;
    private final PostgresSettings settings;
    private final DataSource dataSource;
    private final @Nullable HikariDataSource ownedPool;
    private final MessageStore store;
    private final Map<String, Integer> queueIds;
    /** How long a receive that found only rows locked by other receivers waits before it looks again. */
    private static final Duration LOCKED_RETRY_PAUSE = Duration.ofMillis(5);
    private final Signals signals = new Signals();
    private final Notifier notifier;
    private final Listener listener;
    private final Sweeper sweeper;
    private final ScheduledExecutorService sweepExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Per queue: concurrent sends combined into one statement and one commit. */
    private final Map<String, GroupCommit<OutgoingMessage, SendResult>> sends = new HashMap<>();
    /** Per queue: concurrent deletes combined into one statement. */
    private final Map<String, GroupCommit<Receipt, Boolean>> deletes = new HashMap<>();
    /**
     * Per FIFO queue: how many messages per group its last receive returned, from which the next
     * receive judges how many group heads to lock (a head locked costs as much as a message).
     */
    private final Map<String, AtomicInteger> fifoRunLengths = new HashMap<>();

    PostgresBackend(Topology topology, PostgresSettings settings, @Nullable DataSource borrowed, DatabaseClock clock) {
        this.topology = topology;
        this.settings = settings;
        this.store = new MessageStore(settings.schema(), settings.durableAcks(), clock);
        if (borrowed != null) {
            this.dataSource = borrowed;
            this.ownedPool = null;
        } else {
            HikariConfig config = new HikariConfig();
            config.setPoolName("mq4j-postgres-" + settings.schema());
            config.setJdbcUrl(settings.jdbcUrl());
            if (settings.user() != null) {
                config.setUsername(settings.user());
            }
            if (settings.password() != null) {
                config.setPassword(settings.password());
            }
            config.setMaximumPoolSize(settings.poolSize());
            config.setMinimumIdle(Math.min(2, settings.poolSize()));
            config.setAutoCommit(true);
            // each queue has up to ten receive statements (MessageStore#receive); pgjdbc keeps 256 by default
            config.addDataSourceProperty("preparedStatementCacheQueries", "1024");
            config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
            // fail fast when the database cannot be reached at start; later outages are retried
            config.setInitializationFailTimeout(1);
            try {
                this.ownedPool = new HikariDataSource(config);
            } catch (com.zaxxer.hikari.pool.HikariPool.PoolInitializationException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw Sql.translate("connect to " + settings.safeUrl(), null, sql);
                }
                throw new BackendException("PostgreSQL: could not connect to " + settings.safeUrl(), null, e.getCause());
            } catch (RuntimeException e) {
                if (!(e.getCause() instanceof SQLException)) {
                    throw e;
                }
                // HikariCP found no driver that takes the URL (a malformed host or port); its message repeats the
                // URL, so it is not kept as the cause
                throw new ConfigurationException("the PostgreSQL URL " + settings.safeUrl() + " is not one the PostgreSQL JDBC"
                        + " driver accepts (check host, port and database): " + e.getClass().getSimpleName());
            }
            this.dataSource = ownedPool;
        }
        try {
            try (Connection c = Sql.connection(dataSource)) {
                if (settings.autoMigrate()) {
                    Migrations.migrate(c, settings.schema());
                } else {
                    int version = Migrations.currentVersion(c, settings.schema());
                    if (version < Migrations.latestVersion()) {
                        throw new MessageQueueException("mq4j postgres schema " + settings.schema() + " is at version " + version
                                + " but this version of mq4j needs " + Migrations.latestVersion()
                                + "; apply the migrations (Migrations.sql) or set " + PostgresSettings.AUTO_MIGRATE + "=true");
                    }
                }
                this.queueIds = registerQueues(c);
            }
        } catch (SQLException e) {
            closePool();
            throw Sql.translate("open the queue tables in schema " + settings.schema() + " at " + settings.safeUrl(), null, e);
        } catch (RuntimeException e) {
            closePool();
            throw e;
        }
        for (QueueSpec spec : topology.queues()) {
            int queueId = queueIds.get(spec.name());
            sends.put(spec.name(), new GroupCommit<>(messages -> sendNow(spec, queueId, messages), ROUNDS_AT_ONCE,
                    GROUP_COMMIT_MAX_MESSAGES, m -> m.body().length(), GROUP_COMMIT_MAX_CHARS));
            deletes.put(spec.name(), new GroupCommit<>(receipts -> deleteNow(spec, queueId, receipts), ROUNDS_AT_ONCE,
                    GROUP_COMMIT_MAX_MESSAGES, r -> 1, Integer.MAX_VALUE));
            if (spec.fifo()) {
                fifoRunLengths.put(spec.name(), new AtomicInteger(1));
            }
        }
        this.notifier = new Notifier(dataSource, store.channel, "mq4j-postgres-notifier-" + settings.schema());
        this.listener = new Listener(settings.schema(), store.channel, this::listenerConnection, signals);
        this.listener.start();
        this.sweeper = new Sweeper(store, topology, queueIds, dataSource);
        this.sweepExecutor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mq4j-postgres-sweeper-" + settings.schema());
            t.setDaemon(true);
            return t;
        });
        sweepExecutor.scheduleWithFixedDelay(this::sweepQuietly, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        sweepExecutor.scheduleWithFixedDelay(this::vacuumQuietly, VACUUM_CHECK_INTERVAL.toMillis(),
                VACUUM_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        log.info("mq4j postgres: opened schema {} at {} for queues {}", settings.schema(), settings.safeUrl(), topology.names());
    }

    private Map<String, Integer> registerQueues(Connection c) throws SQLException {
        String s = Sql.quote(settings.schema());
        try (PreparedStatement ps = store.prepare(c, "INSERT INTO " + s + ".queue (name) SELECT unnest(?::text[]) "
                + "ON CONFLICT (name) DO NOTHING")) {
            ps.setArray(1, c.createArrayOf("text", topology.names().toArray(String[]::new)));
            ps.executeUpdate();
        }
        Map<String, Integer> ids = new HashMap<>();
        try (PreparedStatement ps = store.prepare(c, "SELECT name, id FROM " + s + ".queue WHERE name = ANY(?::text[])")) {
            ps.setArray(1, c.createArrayOf("text", topology.names().toArray(String[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return Map.copyOf(ids);
    }

    /** A connection for the listener: a direct one when we own the settings, else one of the application's. */
    private Connection listenerConnection() throws SQLException {
        if (ownedPool == null) {
            return Sql.connection(dataSource);
        }
        Properties props = new Properties();
        if (settings.user() != null) {
            props.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            props.setProperty("password", settings.password());
        }
        props.setProperty("ApplicationName", "mq4j-listener");
        return DriverManager.getConnection(settings.jdbcUrl(), props);
    }

    /** The settings the backend was opened with. */
    PostgresSettings settings() {
        return settings;
    }

    MessageStore store() {
        return store;
    }

    DataSource dataSource() {
        return dataSource;
    }

    Signals signals() {
        return signals;
    }

    Listener listener() {
        return listener;
    }

    int queueId(String queue) {
        Integer id = queueIds.get(queue);
        if (id == null) {
            throw new IllegalStateException("queue " + queue + " is not registered");
        }
        return id;
    }

    private static <V> V registered(Map<String, V> perQueue, String queue) {
        V value = perQueue.get(queue);
        if (value == null) {
            throw new IllegalStateException("queue " + queue + " is not registered");
        }
        return value;
    }

    private @Nullable Integer deadLetterId(QueueSpec spec) {
        return spec.deadLetter() == null ? null : queueId(spec.deadLetter().targetQueue());
    }

    // ------------------------------------------------------------------ send

    @Override
    public BatchResult<SendResult> send(QueueSpec queue, List<OutgoingMessage> messages) {
        List<SendResult> results;
        try {
            // combined with concurrent sends to the queue: one statement, one transaction, one commit
            results = registered(sends, queue.name()).run(messages);
        } catch (SQLException e) {
            evictIdleIfConnectionLost(e);
            BackendException error = Sql.translate("send " + messages.size() + " message(s)", queue.name(), e);
            List<BatchResult.Entry<SendResult>> failed = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                failed.add(new BatchResult.Failure<>(i, error));
            }
            return new BatchResult<>(failed);
        }
        signals.fire(queue.name());
        if (anyVisibleNow(queue, messages)) {
            notifier.request(queue.name());
        }
        List<BatchResult.Entry<SendResult>> entries = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            entries.add(new BatchResult.Success<>(i, results.get(i)));
        }
        return new BatchResult<>(entries);
    }

    /** One send statement (FIFO: two in one round trip), one transaction, in auto-commit. */
    private List<SendResult> sendNow(QueueSpec queue, int queueId, List<OutgoingMessage> messages) throws SQLException {
        try (Connection c = Sql.connection(dataSource)) {
            return store.send(c, queue, queueId, messages);
        }
    }

    private static boolean anyVisibleNow(QueueSpec queue, List<OutgoingMessage> messages) {
        for (OutgoingMessage m : messages) {
            if ((m.delay() != null ? m.delay() : queue.delay()).isZero()) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ receive

    @Override
    public List<ReceivedMessage> receive(QueueSpec queue, ReceiveRequest request) {
        Duration wait = request.waitTime();
        Duration visibility = request.visibilityTimeout();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long epoch = signals.epoch(queue.name());
            MessageStore.Received got = receiveOnce(queue, request.maxMessages(), visibility);
            if (got.movedToDeadLetter() > 0) {
                notifyQuietly(queue.deadLetter().targetQueue());
            }
            if (!got.messages().isEmpty()) {
                return got.messages();
            }
            if (got.movedToDeadLetter() > 0) {
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed.get()) {
                return List.of();
            }
            Duration pause = Duration.ofNanos(left);
            if (pause.compareTo(POLL_INTERVAL) > 0) {
                pause = POLL_INTERVAL;
            }
            Duration next = nextVisibleIn(queue);
            if (next != null && next.compareTo(pause) < 0) {
                // visible messages that other receivers hold locked right now: look again soon
                pause = next.compareTo(LOCKED_RETRY_PAUSE) < 0 ? LOCKED_RETRY_PAUSE : next;
            }
            try {
                signals.await(queue.name(), epoch, pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
            if (closed.get()) {
                // the client closed while we waited: the wait ends empty, as if it had timed out
                return List.of();
            }
        }
    }

    private MessageStore.Received receiveOnce(QueueSpec queue, int max, Duration visibility) {
        int queueId = queueId(queue.name());
        try (Connection c = Sql.connection(dataSource)) {
            if (!queue.fifo()) {
                Integer dlq = deadLetterId(queue);
                return store.receiveStandard(c, queue, queueId, dlq == null ? queueId : dlq, max, visibility);
            }
            return receiveFifo(c, queue, queueId, max, visibility);
        } catch (SQLException e) {
            evictIdleIfConnectionLost(e);
            throw Sql.translate("receive", queue.name(), e);
        }
    }

    /**
     * A FIFO receive that locks only as many group heads as the queue's recent runs suggest are
     * needed for {@code max} messages, and looks again among the other heads when they fell short.
     */
    private MessageStore.Received receiveFifo(Connection c, QueueSpec queue, int queueId, int max, Duration visibility)
            throws SQLException {
        AtomicInteger runLength = fifoRunLengths.get(queue.name());
        int heads = Math.min(max, Math.max(1, (max + runLength.get() - 1) / runLength.get()));
        MessageStore.Received got = store.receiveFifo(c, queue, queueId, deadLetterId(queue), max, heads, visibility);
        if (got.heads() == heads && heads < max && got.messages().size() < max) {
            // the heads locked had shorter runs than expected, and there may be more heads: their
            // groups are now in flight, so a second look takes other groups only
            int rest = max - got.messages().size();
            MessageStore.Received more;
            try {
                more = store.receiveFifo(c, queue, queueId, deadLetterId(queue), rest, rest, visibility);
            } catch (SQLException e) {
                // the first look is committed: its messages are in flight and must reach the caller
                log.debug("mq4j postgres queue {}: a second look for messages failed; returning the first", queue.name(), e);
                evictIdleIfConnectionLost(e);
                return got;
            }
            List<ReceivedMessage> all = new ArrayList<>(got.messages());
            all.addAll(more.messages());
            got = new MessageStore.Received(all, got.movedToDeadLetter() + more.movedToDeadLetter(), heads + more.heads());
        }
        long groups = got.messages().stream().map(ReceivedMessage::groupId).distinct().count();
        if (groups > 0) {
            runLength.set((int) Math.max(1, got.messages().size() / groups));
        }
        return got;
    }

    private @Nullable Duration nextVisibleIn(QueueSpec queue) {
        try (Connection c = Sql.connection(dataSource)) {
            return store.nextVisibleIn(c, queueId(queue.name()));
        } catch (SQLException e) {
            log.debug("mq4j postgres queue {}: could not look up the next visibility time", queue.name(), e);
            return null;
        }
    }

    // ------------------------------------------------------------------ delete, visibility, dead letters

    @Override
    public BatchResult<String> delete(QueueSpec queue, List<String> receipts) {
        List<BatchResult.Entry<String>> entries = new ArrayList<>(receipts.size());
        List<Receipt> parsed = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < receipts.size(); i++) {
            entries.add(null);
            try {
                parsed.add(Receipt.parse(queue.name(), receipts.get(i), queueIds.keySet()));
                indexes.add(i);
            } catch (ValidationException e) {
                entries.set(i, new BatchResult.Failure<>(i, e));
            }
        }
        if (!parsed.isEmpty()) {
            RuntimeException error = null;
            try {
                registered(deletes, queue.name()).run(parsed);
            } catch (SQLException e) {
                error = Sql.translate("delete " + parsed.size() + " message(s)", queue.name(), e);
            }
            for (int i : indexes) {
                entries.set(i, error == null ? new BatchResult.Success<>(i, receipts.get(i)) : new BatchResult.Failure<>(i, error));
            }
        }
        return new BatchResult<>(entries);
    }

    /**
     * After an operation lost its connection, the pool's idle connections were most likely dropped
     * by the same event (a database restart, a network cut), and the pool hands out a connection
     * used in the last half second without checking it: evicts the idle ones, so that the next
     * operations get new connections instead of failing one by one on the dead ones. Only for the
     * pool the backend owns; an application's {@code DataSource} is left alone.
     */
    private void evictIdleIfConnectionLost(SQLException e) {
        if (ownedPool != null && Sql.isConnectionLost(e)) {
            HikariPoolMXBean pool = ownedPool.getHikariPoolMXBean();
            if (pool != null) {
                pool.softEvictConnections();
            }
        }
    }

    /**
     * Deletes by receipt, in one statement (FIFO: two in one round trip), one transaction, in
     * auto-commit; {@link GroupCommit} combines concurrent calls into one. A delete is idempotent,
     * so one that failed because its connection broke
     * (see {@link #evictIdleIfConnectionLost}) is tried once more on another connection: otherwise
     * every message whose delete met a dropped connection would be handled again. A failure to get
     * a connection at all is not retried: the pool has waited its connection timeout already.
     * A FIFO delete that unblocked groups wakes the long polls waiting for them, here and in other
     * instances, as a send does.
     */
    private List<Boolean> deleteNow(QueueSpec queue, int queueId, List<Receipt> receipts) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Connection c = Sql.connection(dataSource);
            try (c) {
                if (queue.fifo()) {
                    if (store.deleteFifo(c, queueId, receipts) > 0) {
                        signals.fire(queue.name());
                        notifyQuietly(queue.name());
                    }
                } else {
                    store.deleteStandard(c, queueId, receipts);
                }
                return Collections.nCopies(receipts.size(), Boolean.TRUE);
            } catch (SQLException e) {
                evictIdleIfConnectionLost(e);
                if (attempt > 1 || !Sql.isConnectionLost(e)) {
                    throw e;
                }
                log.debug("mq4j postgres queue {}: delete of {} message(s) lost its connection (SQL state {}); trying once"
                        + " more", queue.name(), receipts.size(), e.getSQLState());
            }
        }
    }

    @Override
    public BatchResult<String> changeVisibility(QueueSpec queue, List<VisibilityChange> changes) {
        List<BatchResult.Entry<String>> entries = new ArrayList<>(changes.size());
        List<Receipt> parsed = new ArrayList<>();
        List<Duration> timeouts = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        boolean anyZero = false;
        for (int i = 0; i < changes.size(); i++) {
            entries.add(null);
            try {
                parsed.add(Receipt.parse(queue.name(), changes.get(i).receipt(), queueIds.keySet()));
                timeouts.add(changes.get(i).timeout());
                indexes.add(i);
                anyZero |= changes.get(i).timeout().isZero();
            } catch (ValidationException e) {
                entries.set(i, new BatchResult.Failure<>(i, e));
            }
        }
        if (!parsed.isEmpty()) {
            Set<Long> changed = Set.of();
            RuntimeException error = null;
            try (Connection c = Sql.connection(dataSource)) {
                changed = store.changeVisibility(c, queueId(queue.name()), parsed, timeouts);
            } catch (SQLException e) {
                evictIdleIfConnectionLost(e);
                error = Sql.translate("change the visibility of " + parsed.size() + " message(s)", queue.name(), e);
            }
            for (int j = 0; j < parsed.size(); j++) {
                int i = indexes.get(j);
                if (error != null) {
                    entries.set(i, new BatchResult.Failure<>(i, error));
                } else if (changed.contains(parsed.get(j).id())) {
                    entries.set(i, new BatchResult.Success<>(i, changes.get(i).receipt()));
                } else {
                    entries.set(i, new BatchResult.Failure<>(i, new StaleReceiptException(queue.name(), null)));
                }
            }
            if (anyZero && !changed.isEmpty()) {
                signals.fire(queue.name());
                notifyQuietly(queue.name());
            }
        }
        return new BatchResult<>(entries);
    }

    @Override
    public void moveToDeadLetter(QueueSpec queue, ReceivedMessage message) {
        Receipt receipt = Receipt.parse(queue.name(), message.receipt(), queueIds.keySet());
        int queueId = queueId(queue.name());
        int dlq = queueId(queue.deadLetter().targetQueue());
        boolean moved;
        try (Connection c = Sql.connection(dataSource)) {
            if (queue.fifo()) {
                moved = inTransaction(c, () -> {
                    String group = message.groupId();
                    store.lockGroups(c, new Integer[] {queueId, dlq}, new String[] {group, group});
                    if (!store.moveFifo(c, queue, queueId, dlq, receipt.id(), receipt.receiveCount())) {
                        return false;
                    }
                    store.promote(c, queueId, group);
                    store.notify(c, queue.deadLetter().targetQueue());
                    return true;
                });
            } else {
                try (PreparedStatement ps = store.prepare(c, "WITH m AS (UPDATE " + Sql.quote(settings.schema()) + ".message "
                        + "SET queue_id = ?, receive_count = 0, visible_at = now(), first_received_at = NULL, dead_letter_source = ? "
                        + "WHERE id = ? AND queue_id = ? AND receive_count = ? RETURNING id) "
                        + "SELECT count(*), (SELECT 1 FROM (SELECT pg_notify(?, ?)) n) FROM m")) {
                    ps.setInt(1, dlq);
                    ps.setString(2, queue.name());
                    ps.setLong(3, receipt.id());
                    ps.setInt(4, queueId);
                    ps.setInt(5, receipt.receiveCount());
                    ps.setString(6, store.channel);
                    ps.setString(7, queue.deadLetter().targetQueue());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        moved = rs.getLong(1) == 1;
                    }
                }
            }
        } catch (SQLException e) {
            throw Sql.translate("move message " + message.messageId() + " to the dead-letter queue", queue.name(), e);
        }
        if (!moved) {
            throw new StaleReceiptException(queue.name(), message.messageId());
        }
        signals.fire(queue.deadLetter().targetQueue());
        log.debug("mq4j postgres queue {}: moved message {} to dead-letter queue {}", queue.name(), message.messageId(),
                queue.deadLetter().targetQueue());
    }

    // ------------------------------------------------------------------ stats, purge, redrive

    /**
     * Counts up to {@link #EXACT_COUNT_LIMIT} messages of each kind exactly, through the
     * receive index; beyond that, the visible count comes from the planner's statistics of the
     * table (kept fresh by autoanalyze), so that a call costs a few milliseconds on a queue of
     * a million messages. FIFO messages waiting behind their group's head count as visible;
     * messages past their retention, which the sweeper has yet to delete, do not count.
     */
    @Override
    public QueueStats stats(QueueSpec queue) {
        String s = Sql.quote(settings.schema());
        int cap = EXACT_COUNT_LIMIT + 1;
        String waiting = queue.fifo()
                ? "(SELECT visible_at, receive_count, sent_at FROM " + s + ".message WHERE queue_id = ? AND group_id IS NOT NULL "
                        + "AND NOT head AND sent_at > now() - make_interval(secs => ?) LIMIT " + cap + ")"
                : "(SELECT NULL::timestamptz AS visible_at, 0 AS receive_count, NULL::timestamptz AS sent_at "
                        + "WHERE ?::int IS NULL AND ?::float8 IS NULL)";
        String sql = "WITH hidden AS (SELECT receive_count, sent_at FROM " + s + ".message "
                + "WHERE queue_id = ? AND head AND visible_at > now() AND sent_at > now() - make_interval(secs => ?) LIMIT " + cap + "), "
                + "ready AS (SELECT sent_at FROM " + s + ".message WHERE queue_id = ? AND head AND visible_at <= now() "
                + "AND sent_at > now() - make_interval(secs => ?) ORDER BY visible_at LIMIT " + cap + "), "
                + "behind AS " + waiting + " "
                + "SELECT (SELECT count(*) FROM ready), "
                + "(SELECT count(*) FROM behind WHERE visible_at <= now()), "
                + "(SELECT count(*) FROM hidden WHERE receive_count > 0) + (SELECT count(*) FROM behind WHERE visible_at > now() AND receive_count > 0), "
                + "(SELECT count(*) FROM hidden WHERE receive_count = 0) + (SELECT count(*) FROM behind WHERE visible_at > now() AND receive_count = 0), "
                + "extract(epoch FROM now() - least((SELECT min(sent_at) FROM hidden), (SELECT min(sent_at) FROM behind), "
                + "(SELECT min(sent_at) FROM (SELECT sent_at FROM ready LIMIT 100) v)))";
        int queueId = queueId(queue.name());
        try (Connection c = Sql.connection(dataSource); PreparedStatement ps = store.prepare(c, sql)) {
            double retention = queue.retention().getSeconds();
            for (int i = 0; i < 3; i++) {
                ps.setInt(2 * i + 1, queueId);
                ps.setDouble(2 * i + 2, retention);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long ready = rs.getLong(1);
                long behind = rs.getLong(2);
                long inFlight = rs.getLong(3);
                long delayed = rs.getLong(4);
                double age = rs.getDouble(5);
                Duration oldest = rs.wasNull() ? null : Duration.ofMillis((long) (Math.max(0, age) * 1000));
                long visible = ready + behind;
                if (ready >= cap || behind >= cap) {
                    visible = Math.max(visible, estimatedRows(c, queueId) - inFlight - delayed);
                }
                return new QueueStats(queue.name(), visible, inFlight, delayed, oldest);
            }
        } catch (SQLException e) {
            throw Sql.translate("read the stats", queue.name(), e);
        }
    }

    /** The planner's estimate of the queue's rows: its share of queue_id in the statistics times the table's rows. */
    private long estimatedRows(Connection c, int queueId) throws SQLException {
        try (PreparedStatement ps = store.prepare(c, "SELECT coalesce((SELECT f.freq FROM pg_stats st, "
                + "unnest(st.most_common_vals::text::int[], st.most_common_freqs) AS f(v, freq) "
                + "WHERE st.schemaname = ? AND st.tablename = 'message' AND st.attname = 'queue_id' AND f.v = ?), 0) "
                + "* greatest((SELECT reltuples FROM pg_class WHERE oid = ?::regclass), 0)")) {
            ps.setString(1, settings.schema());
            ps.setInt(2, queueId);
            ps.setString(3, Sql.quote(settings.schema()) + ".message");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return (long) rs.getDouble(1);
            }
        }
    }

    @Override
    public void purge(QueueSpec queue) {
        String s = Sql.quote(settings.schema());
        int queueId = queueId(queue.name());
        try (Connection c = Sql.connection(dataSource)) {
            try (PreparedStatement ps = store.prepare(c, "DELETE FROM " + s + ".message WHERE queue_id = ?")) {
                ps.setInt(1, queueId);
                int n = ps.executeUpdate();
                log.info("mq4j postgres queue {}: purged {} message(s)", queue.name(), n);
            }
            if (queue.fifo()) {
                // a send racing with the purge may have joined a group whose head the purge deleted
                try (PreparedStatement ps = store.prepare(c, "UPDATE " + s + ".message SET head = true WHERE id IN "
                        + "(SELECT min(id) FROM " + s + ".message WHERE queue_id = ? GROUP BY group_id) AND NOT head")) {
                    ps.setInt(1, queueId);
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw Sql.translate("purge", queue.name(), e);
        }
    }

    @Override
    public RedriveResult redrive(QueueSpec deadLetterQueue, RedriveRequest request) {
        Redrive redrive = new Redrive(store, topology, queueIds, dataSource, deadLetterQueue, request);
        long moved;
        try {
            moved = redrive.run(REDRIVE_CHUNK);
        } catch (SQLException e) {
            throw Sql.translate("redrive", deadLetterQueue.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            moved = redrive.moved();
        }
        for (String target : redrive.targets()) {
            signals.fire(target);
            notifyQuietly(target);
        }
        log.info("mq4j postgres queue {}: redrove {} message(s)", deadLetterQueue.name(), moved);
        return new RedriveResult(moved);
    }

    // ------------------------------------------------------------------ housekeeping

    /** One sweeper pass now; returns false if another instance holds the sweep lock. */
    boolean sweepNow() {
        try {
            return sweeper.sweep();
        } catch (SQLException e) {
            throw Sql.translate("sweep expired messages", null, e);
        }
    }

    /** The vacuum check now; returns whether it vacuumed the message table. */
    boolean vacuumNow() {
        try {
            return sweeper.vacuumIfNeeded();
        } catch (SQLException e) {
            throw Sql.translate("vacuum the message table", null, e);
        }
    }

    private void sweepQuietly() {
        try {
            sweeper.sweep();
        } catch (SQLException | RuntimeException e) {
            log.warn("mq4j postgres schema {}: sweep failed ({}); will try again in {} s", settings.schema(),
                    e instanceof SQLException s ? "SQL state " + s.getSQLState() : e.toString(), SWEEP_INTERVAL.toSeconds());
        }
    }

    private void vacuumQuietly() {
        try {
            sweeper.vacuumIfNeeded();
        } catch (SQLException | RuntimeException e) {
            log.debug("mq4j postgres schema {}: vacuum check failed", settings.schema(), e);
        }
    }

    private void notifyQuietly(String queue) {
        notifier.request(queue);
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    @FunctionalInterface
    interface SqlAction {
        void run() throws SQLException;
    }

    static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    static void inTransaction(Connection c, SqlAction work) throws SQLException {
        inTransaction(c, () -> {
            work.run();
            return null;
        });
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("mq4j postgres: rollback failed", e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        signals.close();
        notifier.close();
        sweepExecutor.shutdownNow();
        listener.close();
        try {
            sweepExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closePool();
        log.info("mq4j postgres: closed schema {}", settings.schema());
    }

    private void closePool() {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    @Override
    public String toString() {
        return "PostgresBackend[" + settings + "]";
    }
}
