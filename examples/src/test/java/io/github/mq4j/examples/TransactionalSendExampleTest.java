package io.github.mq4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link TransactionalSendExample} on the PostgreSQL server named by
 * {@code MQ4J_TEST_POSTGRES_URL} (user {@code MQ4J_TEST_POSTGRES_USER}, default {@code postgres}),
 * else on an embedded PostgreSQL.
 */
class TransactionalSendExampleTest {

    @Test
    void rolledBackOrderQueuesNoJob_committedOrderWakesTheConsumer() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        String url = System.getenv("MQ4J_TEST_POSTGRES_URL");
        TransactionalSendExample.Outcome outcome;
        if (url == null || url.isBlank()) {
            try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
                outcome = TransactionalSendExample.run(pg.getJdbcUrl("postgres", "postgres"), "postgres", "", out);
            }
        } else {
            outcome = TransactionalSendExample.run(url, System.getenv().getOrDefault("MQ4J_TEST_POSTGRES_USER", "postgres"),
                    System.getenv().getOrDefault("MQ4J_TEST_POSTGRES_PASSWORD", ""), out);
        }

        assertThat(outcome.queuedAfterRollback()).isZero();
        assertThat(outcome.processed()).containsExactly("{\"order\":2}");
    }
}
