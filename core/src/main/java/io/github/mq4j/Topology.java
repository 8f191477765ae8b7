package io.github.mq4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The set of logical queues an application uses: plain, immutable data, validated on
 * construction (unique names, dead-letter targets that exist and are of the same type).
 * {@link #defaults()} is the eight-queue topology of the design; applications may define their own.
 *
 * @param queues the queue specifications, in the order given
 */
public record Topology(List<QueueSpec> queues) {

    public Topology {
        queues = List.copyOf(queues);
        if (queues.isEmpty()) {
            throw new ValidationException("queues", "queues is empty; a topology needs at least one queue");
        }
        Map<String, QueueSpec> byName = new LinkedHashMap<>();
        Map<String, QueueSpec> byKey = new LinkedHashMap<>();
        for (QueueSpec q : queues) {
            if (byName.putIfAbsent(q.name(), q) != null) {
                throw new ValidationException("queues", q.name(), "queues has queue '" + q.name()
                        + "' twice; names must be unique in a topology");
            }
            QueueSpec sameKey = byKey.putIfAbsent(q.configKey(), q);
            if (sameKey != null) {
                throw new ValidationException("configKey", q.name(), "queues '" + sameKey.name() + "' and '" + q.name()
                        + "' have the same configKey '" + q.configKey() + "'");
            }
        }
        for (QueueSpec q : queues) {
            DeadLetterPolicy dl = q.deadLetter();
            if (dl == null) {
                continue;
            }
            QueueSpec target = byName.get(dl.targetQueue());
            if (target == null) {
                throw new ValidationException("deadLetter.targetQueue", q.name(), "deadLetter.targetQueue of queue '" + q.name()
                        + "' is '" + dl.targetQueue() + "', which is not in the topology (it has: "
                        + String.join(", ", byName.keySet()) + ")");
            }
            if (target.fifo() != q.fifo()) {
                throw new ValidationException("deadLetter.targetQueue", q.name(), "deadLetter.targetQueue of queue '" + q.name()
                        + "' is '" + target.name() + "', a " + (target.fifo() ? "FIFO" : "standard") + " queue, but '" + q.name()
                        + "' is " + (q.fifo() ? "FIFO" : "standard") + "; they must be of the same type");
            }
        }
    }

    /** A topology of the given queues. */
    public static Topology of(QueueSpec... queues) {
        return new Topology(List.of(queues));
    }

    /**
     * The default topology: the eight logical queues of the design, each with the visibility
     * timeout, retention and dead-letter policy (max receive count 3) the design gives.
     *
     * <table>
     * <caption>The default topology</caption>
     * <tr><th>queue</th><th>type</th><th>visibility</th><th>retention</th><th>dead letters to</th><th>configKey</th></tr>
     * <tr><td>async-jobs</td><td>standard</td><td>300 s</td><td>4 days</td><td>dlq</td><td>ASYNC</td></tr>
     * <tr><td>async-jobs.fifo</td><td>FIFO</td><td>300 s</td><td>4 days</td><td>dlq.fifo</td><td>ASYNC_FIFO</td></tr>
     * <tr><td>cronjobs</td><td>standard</td><td>300 s</td><td>3600 s</td><td>dlq</td><td>CRONJOBS</td></tr>
     * <tr><td>dlq</td><td>standard</td><td>300 s</td><td>4 days</td><td>—</td><td>DLQ</td></tr>
     * <tr><td>dlq.fifo</td><td>FIFO</td><td>300 s</td><td>4 days</td><td>—</td><td>DLQ_FIFO</td></tr>
     * <tr><td>events-inbox</td><td>standard</td><td>300 s</td><td>4 days</td><td>dlq</td><td>EVENTS_INBOX</td></tr>
     * <tr><td>iot</td><td>standard</td><td>45 s</td><td>4 days</td><td>dlq</td><td>IOT</td></tr>
     * <tr><td>webhooks</td><td>standard</td><td>600 s</td><td>4 days</td><td>dlq</td><td>WEBHOOKS</td></tr>
     * </table>
     *
     * <p>Both FIFO queues use content-based deduplication.
     */
    public static Topology defaults() {
        Duration fiveMinutes = Duration.ofSeconds(300);
        return of(
                QueueSpec.standard("async-jobs").configKey("ASYNC").visibilityTimeout(fiveMinutes)
                        .deadLetter(DeadLetterPolicy.to("dlq")).build(),
                QueueSpec.fifo("async-jobs.fifo").configKey("ASYNC_FIFO").visibilityTimeout(fiveMinutes)
                        .contentBasedDeduplication(true).deadLetter(DeadLetterPolicy.to("dlq.fifo")).build(),
                QueueSpec.standard("cronjobs").visibilityTimeout(fiveMinutes).retention(Duration.ofSeconds(3600))
                        .deadLetter(DeadLetterPolicy.to("dlq")).build(),
                QueueSpec.standard("dlq").visibilityTimeout(fiveMinutes).build(),
                QueueSpec.fifo("dlq.fifo").visibilityTimeout(fiveMinutes).contentBasedDeduplication(true).build(),
                QueueSpec.standard("events-inbox").visibilityTimeout(fiveMinutes)
                        .deadLetter(DeadLetterPolicy.to("dlq")).build(),
                QueueSpec.standard("iot").visibilityTimeout(Duration.ofSeconds(45))
                        .deadLetter(DeadLetterPolicy.to("dlq")).build(),
                QueueSpec.standard("webhooks").visibilityTimeout(Duration.ofSeconds(600))
                        .deadLetter(DeadLetterPolicy.to("dlq")).build());
    }

    /** The specification of the queue named {@code name}, or empty. */
    public Optional<QueueSpec> find(String name) {
        for (QueueSpec q : queues) {
            if (q.name().equals(name)) {
                return Optional.of(q);
            }
        }
        return Optional.empty();
    }

    /** The specification of the queue named {@code name}; throws {@link UnknownQueueException} listing the known names. */
    public QueueSpec queue(String name) {
        return find(name).orElseThrow(() -> new UnknownQueueException(name, names()));
    }

    /** The queue names, in order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(queues.size());
        for (QueueSpec q : queues) {
            names.add(q.name());
        }
        return List.copyOf(names);
    }

    /** The queues whose dead-letter policy targets {@code deadLetterQueue}. */
    public List<QueueSpec> sourcesOf(String deadLetterQueue) {
        List<QueueSpec> sources = new ArrayList<>();
        for (QueueSpec q : queues) {
            if (q.deadLetter() != null && q.deadLetter().targetQueue().equals(deadLetterQueue)) {
                sources.add(q);
            }
        }
        return List.copyOf(sources);
    }
}
