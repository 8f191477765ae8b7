package io.github.mq4j.postgres;

import io.github.mq4j.QueueClient;
import io.github.mq4j.Topology;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

/** The test database's helpers, for test packages other than this one (the conformance fixture). */
public final class PostgresTestSupport {
    private PostgresTestSupport() {}

    /** A fresh schema name. */
    public static String newSchema(String prefix) {
        return TestDatabase.newSchema(prefix);
    }

    /** A client of the postgres backend on {@code schema}. */
    public static QueueClient open(Topology topology, String schema) {
        return TestDatabase.open(topology, schema);
    }

    /** The configuration variables of a backend on {@code schema} (without the test clock). */
    public static Map<String, String> config(String schema) {
        return TestDatabase.config(schema);
    }

    /** A pool on the test database for the tests' own statements. */
    public static DataSource admin() {
        return TestDatabase.admin();
    }

    /** Makes {@code amount} pass for the messages of {@code schema}. */
    public static void advance(String schema, Duration amount) {
        TestDatabase.advance(schema, amount);
    }

    /** How far the clock of {@code schema} runs ahead of the database's. */
    public static Duration shift(String schema) {
        return TestDatabase.shift(schema);
    }

    /** The tables, sequences and indexes of {@code schema}, by name, each with its kind ({@code pg_class.relkind}). */
    public static java.util.Map<String, String> relations(String schema) {
        return TestDatabase.relations(schema);
    }

    /** Drops {@code schema}. */
    public static void dropSchema(String schema) {
        TestDatabase.dropSchema(schema);
    }
}
