package io.github.mq4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.BackendException;
import io.github.mq4j.ConfigSource;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Passwords never reach logs, exception messages or toString. */
class CredentialsTest {
    private static final String SECRET = "s3cr3t-Pa55word";
    private static final Topology TOPOLOGY = Topology.of(QueueSpec.standard("jobs").build());

    @Test
    void password_neverLoggedNorShown_duringALife() {
        String schema = TestDatabase.newSchema("creds");
        URI jdbc = URI.create(TestDatabase.jdbcUrl().substring("jdbc:".length()));
        Map<String, String> vars = new HashMap<>();
        vars.put(PostgresSettings.URL, "postgres://postgres:" + SECRET + "@" + jdbc.getHost() + ":" + jdbc.getPort() + jdbc.getPath());
        vars.put(PostgresSettings.SCHEMA, schema);
        String output = capturingStderr(() -> {
            try (QueueClient client = QueueFactory.builder().type("postgres").topology(TOPOLOGY)
                    .config(ConfigSource.of(vars)).build()) {
                client.queue("jobs").send(OutgoingMessage.of("x"));
                client.queue("jobs").receive(ReceiveRequest.of(1));
                assertThat(client.toString()).doesNotContain(SECRET);
                assertThat(((PostgresBackendAccess) () -> client).backend().toString()).doesNotContain(SECRET).contains("****");
            }
        });
        assertThat(output).contains("mq4j postgres").doesNotContain(SECRET);
        TestDatabase.dropSchema(schema);
    }

    @Test
    void unreachableServer_errorNamesNoPassword() {
        Map<String, String> vars = new HashMap<>();
        vars.put(PostgresSettings.URL, "postgres://postgres:" + SECRET + "@127.0.0.1:1/nowhere?connectTimeout=1");
        String output = capturingStderr(() -> assertThatThrownBy(() -> QueueFactory.builder().type("postgres").topology(TOPOLOGY)
                .config(ConfigSource.of(vars)).build())
                .isInstanceOf(BackendException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain(SECRET).contains("127.0.0.1");
                    assertThat(e.getCause()).isInstanceOf(java.sql.SQLException.class);
                }));
        assertThat(output).doesNotContain(SECRET);
    }

    private static String capturingStderr(Runnable body) {
        PrintStream original = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        String captured = buffer.toString(StandardCharsets.UTF_8);
        original.print(captured);
        return captured;
    }
}
