package io.github.mq4j.postgres.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.postgres.PostgresTestSupport;
import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.HostileInputContract;
import java.util.Map;

/**
 * {@link HostileInputContract} on the PostgreSQL backend; after every test the schema still holds
 * exactly the tables, sequences and indexes its migrations created.
 */
class PostgresHostileInputTest extends HostileInputContract {
    /** What migration 1 creates: name and {@code pg_class.relkind} (r table, S sequence, i index). */
    private static final Map<String, String> SCHEMA = Map.ofEntries(
            Map.entry("schema_version", "r"), Map.entry("schema_version_pkey", "i"),
            Map.entry("queue", "r"), Map.entry("queue_pkey", "i"), Map.entry("queue_name_key", "i"),
            Map.entry("queue_id_seq", "S"),
            Map.entry("message", "r"), Map.entry("message_pkey", "i"), Map.entry("message_seq", "S"),
            Map.entry("message_ready", "i"), Map.entry("message_group", "i"),
            Map.entry("dedup", "r"), Map.entry("dedup_pkey", "i"), Map.entry("dedup_expires", "i"));

    @Override
    protected BackendFixture fixture() {
        return PostgresFixture.get();
    }

    @Override
    protected void assertStorageIntact() {
        String schema = PostgresFixture.get().currentSchema();
        assertThat(PostgresTestSupport.relations(schema)).as("relations of schema %s", schema).isEqualTo(SCHEMA);
    }
}
