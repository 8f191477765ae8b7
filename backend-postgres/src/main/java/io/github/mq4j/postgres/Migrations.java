package io.github.mq4j.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned schema migrations of the PostgreSQL backend, shipped as SQL resources under
 * {@code io/github/mq4j/postgres/migrations/}. Applying them takes a transaction-scoped advisory
 * lock, so that many application instances starting at once apply each version exactly once.
 * Stateless and thread-safe.
 */
public final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    /** A migration: its version, what it does, and the resource holding its SQL. */
    public record Migration(int version, String description, String resource) {}

    /** Every migration, in order. */
    public static final List<Migration> ALL = List.of(
            new Migration(1, "queue tables", "io/github/mq4j/postgres/migrations/V1__queue_tables.sql"),
            new Migration(2, "keep table pages", "io/github/mq4j/postgres/migrations/V2__keep_table_pages.sql"));

    private Migrations() {}

    /** The latest schema version this code needs. */
    public static int latestVersion() {
        return ALL.get(ALL.size() - 1).version();
    }

    /**
     * The SQL of a migration for {@code schema}, as a team that applies schema changes itself
     * would run it.
     *
     * @throws io.github.mq4j.ConfigurationException if {@code schema} is not a valid schema name
     *     ({@link PostgresSettings#checkSchema(String)})
     */
    public static String sql(Migration migration, String schema) {
        PostgresSettings.checkSchema(schema);
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(migration.resource())) {
            if (in == null) {
                throw new IllegalStateException("migration resource " + migration.resource() + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${schema}", Sql.quote(schema));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The advisory lock key of migrations for {@code schema}. */
    static long lockKey(String schema) {
        CRC32 crc = new CRC32();
        crc.update(("mq4j:migrate:" + schema).getBytes(StandardCharsets.UTF_8));
        return 0x6d71_346a_0000_0000L | crc.getValue();
    }

    /**
     * Brings {@code schema} to the latest version, under an advisory lock, in one transaction.
     * Returns the versions applied (none when the schema was current). A current schema gets no
     * DDL at all, so a role with only the runtime grants (docs/operations.md) may start with
     * migrations on; a schema that exists is never created again, so the role needs no
     * {@code CREATE} privilege on the database when an administrator created the schema for it.
     */
    static List<Integer> migrate(Connection connection, String schema) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, lockKey(schema));
                lock.execute();
            }
            if (currentVersion(connection, schema) >= latestVersion()) {
                connection.commit();
                return List.of();
            }
            String q = Sql.quote(schema);
            try (Statement st = connection.createStatement()) {
                if (!schemaExists(connection, schema)) {
                    // CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists
                    st.execute("CREATE SCHEMA " + q);
                }
                st.execute("CREATE TABLE IF NOT EXISTS " + q + ".schema_version (version integer PRIMARY KEY, "
                        + "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            }
            int current = currentVersion(connection, schema);
            List<Integer> applied = new java.util.ArrayList<>();
            for (Migration m : ALL) {
                if (m.version() <= current) {
                    continue;
                }
                try (Statement st = connection.createStatement()) {
                    st.execute(sql(m, schema));
                }
                try (PreparedStatement ins = connection.prepareStatement(
                        "INSERT INTO " + q + ".schema_version (version, description) VALUES (?, ?)")) {
                    ins.setInt(1, m.version());
                    ins.setString(2, m.description());
                    ins.executeUpdate();
                }
                applied.add(m.version());
            }
            connection.commit();
            if (!applied.isEmpty()) {
                log.info("mq4j postgres schema {}: applied migrations {}", schema, applied);
            }
            return applied;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static boolean schemaExists(Connection connection, String schema) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The version of {@code schema}, 0 when it has no version table. */
    static int currentVersion(Connection connection, String schema) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement(
                "SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, Sql.quote(schema) + ".schema_version");
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM " + Sql.quote(schema) + ".schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
