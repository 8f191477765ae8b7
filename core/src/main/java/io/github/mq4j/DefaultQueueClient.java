package io.github.mq4j;

import io.github.mq4j.spi.QueueBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link QueueClient} every backend is used through: it owns the backend and checks that it is open. */
final class DefaultQueueClient implements QueueClient {
    private static final Logger log = LoggerFactory.getLogger(DefaultQueueClient.class);

    private final String type;
    private final Topology topology;
    private final QueueBackend backend;
    private final Map<String, MessageQueue> queues = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    DefaultQueueClient(String type, Topology topology, QueueBackend backend) {
        this.type = type;
        this.topology = topology;
        this.backend = backend;
        for (QueueSpec spec : topology.queues()) {
            queues.put(spec.name(), new DefaultMessageQueue(this, spec, backend));
        }
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Topology topology() {
        return topology;
    }

    @Override
    public MessageQueue queue(String name) {
        ensureOpen();
        MessageQueue queue = queues.get(Validation.requireNonNull("queue", name));
        if (queue == null) {
            throw new UnknownQueueException(name, topology.names());
        }
        return queue;
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("mq4j " + type + " client is closed");
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            log.debug("mq4j {}: closing", type);
            backend.close();
        }
    }

    @Override
    public String toString() {
        return "QueueClient[type=" + type + ", queues=" + topology.names() + (closed.get() ? ", closed" : "") + "]";
    }
}
