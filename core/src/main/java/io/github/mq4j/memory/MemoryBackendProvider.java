package io.github.mq4j.memory;

import io.github.mq4j.spi.BackendContext;
import io.github.mq4j.spi.QueueBackend;
import io.github.mq4j.spi.QueueBackendProvider;

/** Opens the in-memory backend, type {@code memory}. It reads no configuration variables. Thread-safe. */
public final class MemoryBackendProvider implements QueueBackendProvider {

    /** The type name: {@code memory}. */
    public static final String TYPE = "memory";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public QueueBackend open(BackendContext context) {
        return new MemoryBackend(context.topology(), context.clock());
    }
}
