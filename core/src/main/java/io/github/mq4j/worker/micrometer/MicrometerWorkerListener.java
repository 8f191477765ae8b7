package io.github.mq4j.worker.micrometer;

import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.worker.DeadLetterReason;
import io.github.mq4j.worker.WorkerListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what a {@link io.github.mq4j.worker.Worker} does in a Micrometer {@link MeterRegistry}, every
 * meter tagged with {@code queue} (and the tags given to the constructor):
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>what</th></tr>
 * <tr><td>{@code mq4j.worker.received}</td><td>counter</td><td>messages received</td></tr>
 * <tr><td>{@code mq4j.worker.succeeded}</td><td>counter</td><td>handlers that returned</td></tr>
 * <tr><td>{@code mq4j.worker.failed}</td><td>counter</td><td>handlers that threw or rejected their message</td></tr>
 * <tr><td>{@code mq4j.worker.retried}</td><td>counter</td><td>failed messages left for redelivery</td></tr>
 * <tr><td>{@code mq4j.worker.dead.lettered}</td><td>counter, tag {@code reason} ({@code rejected}, {@code max_receives})</td><td>failed messages sent to the dead-letter queue</td></tr>
 * <tr><td>{@code mq4j.worker.released}</td><td>counter</td><td>messages given back without running</td></tr>
 * <tr><td>{@code mq4j.worker.visibility.extended}</td><td>counter</td><td>visibility extensions</td></tr>
 * <tr><td>{@code mq4j.worker.handler.duration}</td><td>timer, tag {@code outcome} ({@code success}, {@code failure})</td><td>handler run time</td></tr>
 * <tr><td>{@code mq4j.worker.in.flight}</td><td>gauge</td><td>messages the worker holds now</td></tr>
 * </table>
 *
 * <p>Give one instance to one worker ({@link io.github.mq4j.worker.Worker.Builder#listener}); to
 * tell several workers apart, give each a {@code worker} tag. Thread-safe.
 */
public final class MicrometerWorkerListener implements WorkerListener {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<String, QueueMeters> meters = new ConcurrentHashMap<>();

    /** Meters in {@code registry}, with no tags but {@code queue}. */
    public MicrometerWorkerListener(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /** Meters in {@code registry}, with {@code tags} besides {@code queue}. */
    public MicrometerWorkerListener(MeterRegistry registry, Tags tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    private final class QueueMeters {
        final Counter received;
        final Counter succeeded;
        final Counter failed;
        final Counter retried;
        final Counter released;
        final Counter extended;
        final Map<DeadLetterReason, Counter> deadLettered = new EnumMap<>(DeadLetterReason.class);
        final Timer success;
        final Timer failure;
        final AtomicInteger inFlight = new AtomicInteger();

        QueueMeters(String queue) {
            Tags t = tags.and("queue", queue);
            received = counter("mq4j.worker.received", "Messages the worker received", t);
            succeeded = counter("mq4j.worker.succeeded", "Handlers that returned", t);
            failed = counter("mq4j.worker.failed", "Handlers that threw or rejected their message", t);
            retried = counter("mq4j.worker.retried", "Failed messages left for redelivery after a backoff", t);
            released = counter("mq4j.worker.released", "Messages given back without their handler running", t);
            extended = counter("mq4j.worker.visibility.extended", "Visibility extensions of held messages", t);
            for (DeadLetterReason r : DeadLetterReason.values()) {
                deadLettered.put(r, counter("mq4j.worker.dead.lettered", "Failed messages sent to the dead-letter queue",
                        t.and("reason", r.name().toLowerCase(java.util.Locale.ROOT))));
            }
            success = timer(t.and("outcome", "success"));
            failure = timer(t.and("outcome", "failure"));
            Gauge.builder("mq4j.worker.in.flight", inFlight, AtomicInteger::get)
                    .description("Messages the worker holds, running or waiting to run")
                    .tags(t).strongReference(true).register(registry);
        }

        private Counter counter(String name, String description, Tags t) {
            return Counter.builder(name).description(description).tags(t).register(registry);
        }

        private Timer timer(Tags t) {
            return Timer.builder("mq4j.worker.handler.duration").description("How long handlers ran").tags(t).register(registry);
        }
    }

    private QueueMeters of(String queue) {
        return meters.computeIfAbsent(queue, QueueMeters::new);
    }

    @Override
    public void onReceived(ReceivedMessage message) {
        of(message.queue()).received.increment();
    }

    @Override
    public void onSucceeded(ReceivedMessage message, Duration handlerDuration) {
        QueueMeters m = of(message.queue());
        m.succeeded.increment();
        m.success.record(handlerDuration);
    }

    @Override
    public void onFailed(ReceivedMessage message, Throwable error, Duration handlerDuration) {
        QueueMeters m = of(message.queue());
        m.failed.increment();
        m.failure.record(handlerDuration);
    }

    @Override
    public void onRetried(ReceivedMessage message, Duration backoff) {
        of(message.queue()).retried.increment();
    }

    @Override
    public void onDeadLettered(ReceivedMessage message, DeadLetterReason reason) {
        of(message.queue()).deadLettered.get(reason).increment();
    }

    @Override
    public void onReleased(ReceivedMessage message) {
        of(message.queue()).released.increment();
    }

    @Override
    public void onVisibilityExtended(ReceivedMessage message, Duration timeout) {
        of(message.queue()).extended.increment();
    }

    @Override
    public void onInFlightChanged(String queue, int inFlight) {
        of(queue).inFlight.set(inFlight);
    }
}
