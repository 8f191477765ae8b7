package io.github.mq4j;

/**
 * A connection to one backend for one {@link Topology}, from which each named queue is
 * obtained. Create it with {@link QueueFactory}; close it when the application stops. Closing
 * releases what the client created (pools, threads, HTTP clients) and never what the
 * application handed in (a {@code DataSource}, an {@code SqsClient}). Closing twice is harmless.
 *
 * <p>Thread-safe.
 */
public interface QueueClient extends AutoCloseable {

    /** The backend type, e.g. {@code "sqs"}, {@code "postgres"} or {@code "memory"}. */
    String type();

    /** The queues this client serves. */
    Topology topology();

    /**
     * The queue named {@code name}.
     *
     * @throws UnknownQueueException if the topology has no such queue; the message lists the known ones
     * @throws IllegalStateException if the client is closed
     */
    MessageQueue queue(String name);

    /** Releases what the client created. Idempotent. */
    @Override
    void close();
}
