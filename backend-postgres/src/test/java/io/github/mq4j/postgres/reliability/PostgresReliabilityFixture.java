package io.github.mq4j.postgres.reliability;

import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.Topology;
import io.github.mq4j.postgres.PostgresTestSupport;
import io.github.mq4j.testkit.reliability.ReliabilityFixture;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Runs the reliability scenarios on the PostgreSQL backend: each {@link #open(Topology)} gets a
 * schema of its own, on the database's own clock (real time), so that a worker in another process
 * joins it with the same configuration variables. Schemas of earlier tests are dropped when the
 * next one opens, the last one when the JVM exits. Thread-safe.
 */
final class PostgresReliabilityFixture implements ReliabilityFixture {
    private static final PostgresReliabilityFixture INSTANCE = new PostgresReliabilityFixture();
    private final Map<QueueClient, String> schemas = new IdentityHashMap<>();

    private PostgresReliabilityFixture() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropSchemas, "postgres-reliability-cleanup"));
    }

    static PostgresReliabilityFixture get() {
        return INSTANCE;
    }

    @Override
    public synchronized QueueClient open(Topology topology) {
        dropSchemas();
        String schema = PostgresTestSupport.newSchema("reliability");
        QueueClient client = QueueFactory.builder().type("postgres").topology(topology)
                .config(PostgresTestSupport.config(schema)).build();
        schemas.put(client, schema);
        return client;
    }

    @Override
    public synchronized Map<String, String> environmentOf(QueueClient client) {
        String schema = schemas.get(client);
        if (schema == null) {
            throw new IllegalArgumentException("not a client of this fixture, or of an earlier test: " + client);
        }
        Map<String, String> env = new HashMap<>(PostgresTestSupport.config(schema));
        env.put(QueueFactory.TYPE_VARIABLE, "postgres");
        return env;
    }

    @Override
    public void advance(Duration amount) {
        try {
            Thread.sleep(amount.plusMillis(250).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while letting time pass", e);
        }
    }

    private synchronized void dropSchemas() {
        for (String schema : schemas.values()) {
            try {
                PostgresTestSupport.dropSchema(schema);
            } catch (RuntimeException e) {
                // the embedded server may already be stopping; it takes the schema with it
            }
        }
        schemas.clear();
    }
}
