package io.github.mq4j.postgres;

import io.github.mq4j.spi.BackendContext;
import io.github.mq4j.spi.QueueBackend;
import io.github.mq4j.spi.QueueBackendProvider;
import javax.sql.DataSource;

/**
 * Opens the PostgreSQL backend ({@code MESSAGE_QUEUE_TYPE=postgres}). Reads
 * {@link PostgresSettings} from the context's configuration; an application-owned
 * {@link DataSource} given as an option ({@code QueueFactory.builder().option(DataSource.class, ds)})
 * is used instead of a pool of the backend's own, and never closed; a {@link DatabaseClock} option
 * replaces the database's {@code now()} (for tests). Thread-safe.
 */
public final class PostgresBackendProvider implements QueueBackendProvider {

    /** The type name: {@code postgres}. */
    public static final String TYPE = "postgres";

    /** For {@link java.util.ServiceLoader}. */
    public PostgresBackendProvider() {}

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public QueueBackend open(BackendContext context) {
        DataSource dataSource = context.option(DataSource.class).orElse(null);
        PostgresSettings settings = PostgresSettings.fromConfig(context.config(), dataSource != null);
        return new PostgresBackend(context.topology(), settings, dataSource,
                context.option(DatabaseClock.class).orElse(DatabaseClock.DATABASE));
    }
}
