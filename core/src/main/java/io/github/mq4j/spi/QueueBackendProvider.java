package io.github.mq4j.spi;

/**
 * Opens a backend of one type. Found through {@link java.util.ServiceLoader}: a backend module
 * lists its implementation in
 * {@code META-INF/services/io.github.mq4j.spi.QueueBackendProvider}. Implementations need a
 * public no-argument constructor and must be thread-safe.
 */
public interface QueueBackendProvider {

    /** The type name that selects this backend in {@code MESSAGE_QUEUE_TYPE}, e.g. {@code "postgres"}. Lower case. */
    String type();

    /**
     * Opens a backend for the context's topology. Reads its settings from
     * {@link BackendContext#config()} and application-owned objects from
     * {@link BackendContext#option(Class)}.
     *
     * @throws io.github.mq4j.ConfigurationException if settings are missing or malformed; all
     *     missing variables are named at once
     * @throws io.github.mq4j.BackendException if the backend cannot be reached
     */
    QueueBackend open(BackendContext context);
}
