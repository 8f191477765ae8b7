package io.github.mq4j.worker.micrometer;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.QueueStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each queue's {@link MessageQueue#stats() stats} as Micrometer gauges, tagged with
 * {@code queue}:
 *
 * <table>
 * <caption>Gauges</caption>
 * <tr><th>name</th><th>what</th></tr>
 * <tr><td>{@code mq4j.queue.messages.visible}</td><td>messages a receive could return now</td></tr>
 * <tr><td>{@code mq4j.queue.messages.in.flight}</td><td>messages received and not yet deleted or visible again</td></tr>
 * <tr><td>{@code mq4j.queue.messages.delayed}</td><td>messages whose delay has not passed</td></tr>
 * <tr><td>{@code mq4j.queue.oldest.message.age}</td><td>age of the oldest message (time gauge); NaN where the
 *     backend cannot know it (SQS) or the queue is empty</td></tr>
 * </table>
 *
 * <p>The stats are read on an interval by a thread of its own ({@code mq4j-queue-stats}, a daemon),
 * not on every scrape, so a scrape never waits for the backend; gauges show the last values read
 * (NaN until the first read, and after a failed one). {@link #bindTo} starts the polling,
 * {@link #close()} stops it. Close it before the queue client. Thread-safe.
 */
public final class QueueStatsGauges implements MeterBinder, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueueStatsGauges.class);

    /** How often the stats are read unless set: 30 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    private final List<Polled> queues;
    private final Duration interval;
    private final Tags tags;
    private final Object lock = new Object();
    private @Nullable ScheduledExecutorService poller; // guarded by lock
    private boolean closed; // guarded by lock

    private static final class Polled {
        final MessageQueue queue;
        volatile @Nullable QueueStats last;

        Polled(MessageQueue queue) {
            this.queue = queue;
        }

        double value(ToDoubleFunction<QueueStats> f) {
            QueueStats s = last;
            return s == null ? Double.NaN : f.applyAsDouble(s);
        }
    }

    /** Gauges for {@code queues}, read every {@link #DEFAULT_INTERVAL}. */
    public QueueStatsGauges(Collection<MessageQueue> queues) {
        this(queues, DEFAULT_INTERVAL, Tags.empty());
    }

    /**
     * Gauges for {@code queues}, read every {@code interval}, tagged with {@code tags} besides {@code queue}.
     *
     * @param interval more than 0
     */
    public QueueStatsGauges(Collection<MessageQueue> queues, Duration interval, Tags tags) {
        Objects.requireNonNull(queues, "queues");
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval is " + interval + "; it must be more than 0");
        }
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("queues is empty; give at least one queue");
        }
        List<Polled> list = new ArrayList<>();
        for (MessageQueue q : queues) {
            list.add(new Polled(Objects.requireNonNull(q, "queue")));
        }
        this.queues = List.copyOf(list);
        this.interval = interval;
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    /** Registers the gauges in {@code registry} and starts reading the stats (once, for every registry). */
    @Override
    public void bindTo(MeterRegistry registry) {
        for (Polled p : queues) {
            Tags t = tags.and("queue", p.queue.name());
            Gauge.builder("mq4j.queue.messages.visible", p, x -> x.value(QueueStats::visible))
                    .description("Messages a receive could return now").tags(t).strongReference(true).register(registry);
            Gauge.builder("mq4j.queue.messages.in.flight", p, x -> x.value(QueueStats::inFlight))
                    .description("Messages received and not yet deleted or visible again").tags(t).strongReference(true)
                    .register(registry);
            Gauge.builder("mq4j.queue.messages.delayed", p, x -> x.value(QueueStats::delayed))
                    .description("Messages whose delay has not passed").tags(t).strongReference(true).register(registry);
            TimeGauge.builder("mq4j.queue.oldest.message.age", p, TimeUnit.MILLISECONDS,
                            x -> x.value(s -> s.oldestMessageAge() == null ? Double.NaN : s.oldestMessageAge().toMillis()))
                    .description("Age of the oldest message in the queue").tags(t).strongReference(true).register(registry);
        }
        synchronized (lock) {
            if (poller == null && !closed) {
                ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread thread = new Thread(r, "mq4j-queue-stats");
                    thread.setDaemon(true);
                    return thread;
                });
                p.scheduleWithFixedDelay(this::refresh, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
                poller = p;
            }
        }
    }

    /** Reads every queue's stats now, on the calling thread. A queue whose read fails shows NaN until the next. */
    public void refresh() {
        for (Polled p : queues) {
            try {
                p.last = p.queue.stats();
            } catch (RuntimeException e) {
                p.last = null;
                log.warn("mq4j: reading the stats of queue '{}' failed", p.queue.name(), e);
            }
        }
    }

    /** Stops reading the stats; the gauges keep their last values. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService p;
        synchronized (lock) {
            closed = true;
            p = poller;
            poller = null;
        }
        if (p != null) {
            p.shutdownNow();
        }
    }
}
