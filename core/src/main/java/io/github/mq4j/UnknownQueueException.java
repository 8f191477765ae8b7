package io.github.mq4j;

import java.util.List;

/** A queue name that is not part of the client's {@link Topology}. The message lists the known names. */
public final class UnknownQueueException extends ValidationException {
    private static final long serialVersionUID = 1L;

    private final List<String> knownQueues;

    public UnknownQueueException(String queue, List<String> knownQueues) {
        super("queue", queue, "unknown queue '" + Validation.printable(queue) + "'; the topology has: " + String.join(", ", knownQueues));
        this.knownQueues = List.copyOf(knownQueues);
    }

    /** The names the topology does define. */
    public List<String> knownQueues() {
        return knownQueues;
    }
}
