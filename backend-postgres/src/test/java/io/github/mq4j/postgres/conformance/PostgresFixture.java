package io.github.mq4j.postgres.conformance;

import io.github.mq4j.QueueClient;
import io.github.mq4j.Topology;
import io.github.mq4j.postgres.PostgresTestSupport;
import io.github.mq4j.testkit.BackendFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the conformance suite on the PostgreSQL backend: each {@link #open(Topology)} gets a schema
 * of its own (created by the backend's migrations) and a clock of its own
 * ({@code mq4j_testclock.now(schema)} in place of {@code now()}, through the backend's
 * {@link io.github.mq4j.postgres.DatabaseClock} option), which {@link #advance(Duration)} moves
 * ahead: no test sleeps. Schemas of earlier tests are dropped when the next one opens (the suite has
 * closed their clients by then). One instance per test class; not for parallel use.
 */
final class PostgresFixture implements BackendFixture {
    private static final PostgresFixture INSTANCE = new PostgresFixture();
    private final List<String> schemas = new ArrayList<>();

    private PostgresFixture() {
        // the schema of the last test of the run, whose client the suite has closed by then
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (this) {
                for (String schema : schemas) {
                    try {
                        PostgresTestSupport.dropSchema(schema);
                    } catch (RuntimeException e) {
                        // the embedded server may already be stopping; it takes the schema with it
                    }
                }
            }
        }, "postgres-fixture-cleanup"));
    }

    static PostgresFixture get() {
        return INSTANCE;
    }

    @Override
    public synchronized QueueClient open(Topology topology) {
        for (String old : schemas) {
            PostgresTestSupport.dropSchema(old);
        }
        schemas.clear();
        String schema = PostgresTestSupport.newSchema("conformance");
        schemas.add(schema);
        return PostgresTestSupport.open(topology, schema);
    }

    /** The schema of the client opened last: the running test's. */
    synchronized String currentSchema() {
        return schemas.get(schemas.size() - 1);
    }

    @Override
    public synchronized void advance(Duration amount) {
        PostgresTestSupport.advance(schemas.get(schemas.size() - 1), amount);
    }

    @Override
    public synchronized java.time.Instant now() {
        return java.time.Instant.now().plus(schemas.isEmpty() ? Duration.ZERO : PostgresTestSupport.shift(schemas.get(schemas.size() - 1)));
    }

    @Override
    public Duration maxAdvance() {
        return Duration.ofDays(365);
    }
}
