package io.github.mq4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mq4j.BackendException;
import io.github.mq4j.ConfigSource;
import io.github.mq4j.ConfigurationException;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.Topology;
import io.github.mq4j.testkit.security.LogCapture;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Passwords never reach logs (at any level), exception messages and their causes, or toString —
 * in a normal life, and when the server rejects the password, is unreachable, or the URL is bad.
 */
class CredentialsTest {
    private static final String SECRET = "s3cr3t-Pa55word";
    private static final String WRONG = "wr0ng-Pa55word";
    private static final Topology TOPOLOGY = Topology.of(QueueSpec.standard("jobs").build());
    /** A role with password {@link #SECRET} on a server that checks passwords. */
    private static final String ROLE = "mq4j_creds_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @BeforeAll
    static void createRole() throws SQLException {
        try (Connection c = TestDatabase.passwordChecking().admin().getConnection()) {
            c.createStatement().execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + SECRET + "'");
        }
    }

    @AfterAll
    static void dropRole() throws SQLException {
        try (Connection c = TestDatabase.passwordChecking().admin().getConnection()) {
            c.createStatement().execute("DROP ROLE IF EXISTS " + ROLE);
        }
    }

    @Test
    void password_neverLoggedNorShown_duringALife() {
        String schema = TestDatabase.newSchema("creds");
        URI jdbc = URI.create(TestDatabase.jdbcUrl().substring("jdbc:".length()));
        Map<String, String> vars = new HashMap<>();
        vars.put(PostgresSettings.URL, "postgres://postgres:" + SECRET + "@" + jdbc.getHost() + ":" + jdbc.getPort() + jdbc.getPath());
        vars.put(PostgresSettings.SCHEMA, schema);
        try (LogCapture logs = LogCapture.start()) {
            try (QueueClient client = QueueFactory.builder().type("postgres").topology(TOPOLOGY)
                    .config(ConfigSource.of(vars)).build()) {
                client.queue("jobs").send(OutgoingMessage.of("x"));
                client.queue("jobs").receive(ReceiveRequest.of(1));
                assertThat(client.toString()).doesNotContain(SECRET);
                PostgresBackend backend = ((PostgresBackendAccess) () -> client).backend();
                assertThat(backend.toString()).doesNotContain(SECRET).contains("****");
                assertThat(backend.settings().toString()).doesNotContain(SECRET).contains("****");
            }
            assertThat(logs.text()).contains("mq4j postgres").doesNotContain(SECRET);
        }
        TestDatabase.dropSchema(schema);
    }

    @Test
    void wrongPassword_rejectedByTheServer_isNamedNowhere() {
        TestDatabase.Server server = TestDatabase.passwordChecking();
        URI jdbc = URI.create(server.jdbcUrl().substring("jdbc:".length()));
        String hostPortDb = jdbc.getHost() + ":" + jdbc.getPort() + jdbc.getPath();
        Map<String, Map<String, String>> forms = Map.of(
                "postgres:// URL", Map.of(PostgresSettings.URL, "postgres://" + ROLE + ":" + WRONG + "@" + hostPortDb),
                "user and password variables", Map.of(PostgresSettings.URL, "jdbc:postgresql://" + hostPortDb,
                        PostgresSettings.USER, ROLE, PostgresSettings.PASSWORD, WRONG),
                "password in the JDBC URL", Map.of(PostgresSettings.URL,
                        "jdbc:postgresql://" + hostPortDb + "?user=" + ROLE + "&password=" + WRONG));
        forms.forEach((form, vars) -> {
            try (LogCapture logs = LogCapture.start()) {
                Throwable e = catchThrowable(() -> QueueFactory.builder().type("postgres").topology(TOPOLOGY)
                        .config(ConfigSource.of(vars)).build().close());

                assertThat(e).as(form).isInstanceOf(BackendException.class);
                // 28P01 invalid_password: the server checked the password and refused it
                assertThat(e.getMessage()).as(form).contains("28P01").contains(ROLE).doesNotContain(WRONG);
                assertThat(LogCapture.fullText(e)).as(form).doesNotContain(WRONG);
                assertThat(logs.text()).as(form).doesNotContain(WRONG);
            }
        });
    }

    @Test
    void rightPassword_ofARoleOnAServerThatChecksIt_opensAndIsNamedNowhere() {
        TestDatabase.Server server = TestDatabase.passwordChecking();
        String schema = TestDatabase.newSchema("creds_role");
        try (Connection c = server.admin().getConnection()) {
            c.createStatement().execute("CREATE SCHEMA " + schema + " AUTHORIZATION " + ROLE);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        URI jdbc = URI.create(server.jdbcUrl().substring("jdbc:".length()));
        Map<String, String> vars = Map.of(PostgresSettings.URL, "postgres://" + ROLE + ":" + SECRET + "@" + jdbc.getHost() + ":"
                + jdbc.getPort() + jdbc.getPath(), PostgresSettings.SCHEMA, schema);
        try (LogCapture logs = LogCapture.start()) {
            try (QueueClient client = QueueFactory.builder().type("postgres").topology(TOPOLOGY)
                    .config(ConfigSource.of(vars)).build()) {
                client.queue("jobs").send("x");
                assertThat(client.queue("jobs").receive(ReceiveRequest.of(1))).hasSize(1);
                assertThat(((PostgresBackendAccess) () -> client).backend().toString()).doesNotContain(SECRET);
            }
            assertThat(logs.text()).doesNotContain(SECRET);
        } finally {
            try (Connection c = server.admin().getConnection()) {
                c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void unreachableServer_errorNamesNoPassword() {
        Map<String, String> vars = Map.of(PostgresSettings.URL, "postgres://postgres:" + SECRET + "@127.0.0.1:1/nowhere?connectTimeout=1");
        try (LogCapture logs = LogCapture.start()) {
            Throwable e = catchThrowable(() -> QueueFactory.builder().type("postgres").topology(TOPOLOGY)
                    .config(ConfigSource.of(vars)).build());

            assertThat(e).isInstanceOf(BackendException.class).hasCauseInstanceOf(SQLException.class);
            assertThat(e.getMessage()).doesNotContain(SECRET).contains("127.0.0.1");
            assertThat(LogCapture.fullText(e)).doesNotContain(SECRET);
            assertThat(logs.text()).doesNotContain(SECRET);
        }
    }

    @Test
    void jdbcUrlWithUserAndPassword_isAConfigurationErrorThatDoesNotRepeatIt() {
        // pgjdbc would take "user:password@host" for the host name and repeat it in errors and logs
        for (String url : new String[] {"jdbc:postgresql://app:" + SECRET + "@127.0.0.1:5432/db",
                "jdbc:postgresql://app:" + SECRET + "@db/x?ssl=true"}) {
            try (LogCapture logs = LogCapture.start()) {
                Throwable e = catchThrowable(() -> QueueFactory.builder().type("postgres").topology(TOPOLOGY)
                        .config(ConfigSource.of(Map.of(PostgresSettings.URL, url))).build());

                assertThat(e).isInstanceOf(ConfigurationException.class).hasMessageContaining("postgres://");
                assertThat(LogCapture.fullText(e)).doesNotContain(SECRET);
                assertThat(logs.text()).doesNotContain(SECRET);
            }
        }
    }

    @Test
    void jdbcUrlTheDriverRefuses_isAConfigurationErrorThatDoesNotRepeatThePassword() {
        String url = "jdbc:postgresql://127.0.0.1:notaport/db?password=" + SECRET;
        try (LogCapture logs = LogCapture.start()) {
            Throwable e = catchThrowable(() -> QueueFactory.builder().type("postgres").topology(TOPOLOGY)
                    .config(ConfigSource.of(Map.of(PostgresSettings.URL, url))).build());

            assertThat(e).isInstanceOf(ConfigurationException.class).hasMessageContaining("127.0.0.1:notaport");
            assertThat(LogCapture.fullText(e)).doesNotContain(SECRET);
            assertThat(logs.text()).doesNotContain(SECRET);
        }
    }

    @Test
    void userAndPasswordParametersOfAJdbcUrl_leaveTheUrl() {
        PostgresSettings s = PostgresSettings.fromConfig(ConfigSource.of(Map.of(PostgresSettings.URL,
                "jdbc:postgresql://db:5432/x?ssl=true&user=app&password=" + SECRET.replace("-", "%2D") + "&connectTimeout=3")), false);

        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/x?ssl=true&connectTimeout=3");
        assertThat(s.user()).isEqualTo("app");
        assertThat(s.password()).isEqualTo(SECRET);
    }

    @Test
    void malformedEscapeInAUrlPassword_isAConfigurationErrorThatDoesNotRepeatIt() {
        for (String url : new String[] {"postgres://app:" + SECRET + "%zz@db/x", "jdbc:postgresql://db/x?password=" + SECRET + "%zz"}) {
            Throwable e = catchThrowable(() -> PostgresSettings.fromConfig(ConfigSource.of(Map.of(PostgresSettings.URL, url)), false));

            assertThat(e).isInstanceOf(ConfigurationException.class).hasMessageContaining("URL");
            assertThat(LogCapture.fullText(e)).doesNotContain(SECRET);
        }
    }

    @Test
    void settingsToString_showsNeitherPasswordNorUrlParameters() {
        PostgresSettings fromUrl = PostgresSettings.fromConfig(ConfigSource.of(Map.of(PostgresSettings.URL,
                "postgres://app:" + SECRET + "@db:5432/x?sslpassword=" + SECRET)), false);
        PostgresSettings fromVariables = PostgresSettings.fromConfig(ConfigSource.of(Map.of(PostgresSettings.URL,
                "jdbc:postgresql://db/x", PostgresSettings.PASSWORD, SECRET)), false);

        for (PostgresSettings s : new PostgresSettings[] {fromUrl, fromVariables}) {
            assertThat(s.password()).isEqualTo(SECRET);
            assertThat(s.toString()).doesNotContain(SECRET).contains("****");
            assertThat(s.safeUrl()).doesNotContain(SECRET);
        }
    }
}
