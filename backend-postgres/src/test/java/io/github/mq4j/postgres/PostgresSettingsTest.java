package io.github.mq4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresSettingsTest {

    @Test
    void jdbcUrl_isTakenAsIs_withDefaults() {
        PostgresSettings s = PostgresSettings.fromConfig(ConfigSource.of(Map.of(
                PostgresSettings.URL, "jdbc:postgresql://db:5432/app")), false);
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(s.schema()).isEqualTo("mq4j");
        assertThat(s.poolSize()).isEqualTo(10);
        assertThat(s.autoMigrate()).isTrue();
        assertThat(s.durableAcks()).isFalse();
    }

    @Test
    void postgresUrl_becomesJdbcUrl_withDecodedCredentials() {
        PostgresSettings s = PostgresSettings.fromConfig(ConfigSource.of(Map.of(
                PostgresSettings.URL, "postgres://app%40corp:p%3Ass+w@db.example:6543/orders?sslmode=require")), false);
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/orders?sslmode=require");
        assertThat(s.user()).isEqualTo("app@corp");
        assertThat(s.password()).isEqualTo("p:ss+w");
    }

    @Test
    void explicitUserAndPassword_overrideTheUrl() {
        PostgresSettings s = PostgresSettings.fromConfig(ConfigSource.of(Map.of(
                PostgresSettings.URL, "postgres://a:b@db/x", PostgresSettings.USER, "u", PostgresSettings.PASSWORD, "p")), false);
        assertThat(s.user()).isEqualTo("u");
        assertThat(s.password()).isEqualTo("p");
    }

    @Test
    void databaseUrl_isTheFallback() {
        PostgresSettings s = PostgresSettings.fromConfig(ConfigSource.of(Map.of(
                PostgresSettings.DATABASE_URL, "postgresql://h/db")), false);
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://h/db");
    }

    @Test
    void missingUrl_namesTheVariables() {
        assertThatThrownBy(() -> PostgresSettings.fromConfig(ConfigSource.empty(), false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MESSAGE_QUEUE_POSTGRES_URL").hasMessageContaining("DATABASE_URL");
    }

    @Test
    void applicationDataSource_needsNoUrl() {
        PostgresSettings s = PostgresSettings.fromConfig(ConfigSource.of(Map.of(PostgresSettings.SCHEMA, "queues")), true);
        assertThat(s.jdbcUrl()).isNull();
        assertThat(s.schema()).isEqualTo("queues");
    }

    @Test
    void malformedValues_areConfigurationErrors() {
        Map<String, String> base = Map.of(PostgresSettings.URL, "jdbc:postgresql://h/db");
        assertThatThrownBy(() -> settings(base, PostgresSettings.SCHEMA, "bad\"; DROP")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(PostgresSettings.SCHEMA);
        assertThatThrownBy(() -> settings(base, PostgresSettings.SCHEMA, "Upper")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> settings(base, PostgresSettings.POOL_SIZE, "0")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> settings(base, PostgresSettings.POOL_SIZE, "ten")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> settings(base, PostgresSettings.AUTO_MIGRATE, "yes")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> settings(Map.of(), PostgresSettings.URL, "mysql://h/db")).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void secrets_neverInToStringNorErrors() {
        PostgresSettings s = PostgresSettings.fromConfig(ConfigSource.of(Map.of(
                PostgresSettings.URL, "postgres://app:TOPSECRET1@db/x?password=TOPSECRET2")), false);
        assertThat(s.toString()).doesNotContain("TOPSECRET1").doesNotContain("TOPSECRET2").contains("****");
        assertThat(s.safeUrl()).doesNotContain("TOPSECRET");
        assertThatThrownBy(() -> PostgresSettings.fromConfig(ConfigSource.of(Map.of(
                PostgresSettings.URL, "postgres://app:TOP SECRET3@db/x")), false))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET3"));
    }

    @Test
    void schemaNames_thatAreNotPlainIdentifiers_neverReachSql() {
        io.github.mq4j.Topology topology = io.github.mq4j.Topology.of(io.github.mq4j.QueueSpec.standard("jobs").build());
        Migrations.Migration first = Migrations.ALL.get(0);
        for (String schema : new String[] {"x'; DROP TABLE message; --", "a\"b", "a'b", "pg_catalog", "pg_x", "", "Upper",
                "1abc", "with space", "caf\u00e9", "s".repeat(51), "a;b", "a.b"}) {
            if (!schema.isEmpty()) { // an empty variable counts as not set: the default schema
                assertThatThrownBy(() -> settings(Map.of(PostgresSettings.URL, "jdbc:postgresql://h/db"), PostgresSettings.SCHEMA,
                        schema)).as("setting %s", schema).isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining(PostgresSettings.SCHEMA);
            }
            assertThatThrownBy(() -> Migrations.sql(first, schema)).as("Migrations.sql(%s)", schema)
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("schema name");
            assertThatThrownBy(() -> TransactionalSender.create(topology, schema)).as("TransactionalSender(%s)", schema)
                    .isInstanceOf(ConfigurationException.class);
            if (!schema.matches("[a-z_][a-z0-9_]*")) { // pg_x and 51 letters are identifiers, just not schema names
                assertThatThrownBy(() -> Sql.quote(schema)).as("Sql.quote(%s)", schema).isInstanceOf(IllegalArgumentException.class);
            }
        }
        String longest = "s".repeat(50);
        assertThat(PostgresSettings.checkSchema(longest)).isEqualTo(longest);
        assertThat(Migrations.sql(first, "queues_2")).contains("CREATE TABLE \"queues_2\".message")
                .contains("nextval('\"queues_2\".message_seq')");
    }

    private static PostgresSettings settings(Map<String, String> base, String key, String value) {
        Map<String, String> vars = new java.util.HashMap<>(base);
        vars.put(key, value);
        return PostgresSettings.fromConfig(ConfigSource.of(vars), false);
    }
}
