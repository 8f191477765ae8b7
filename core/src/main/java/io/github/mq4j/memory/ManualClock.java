package io.github.mq4j.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that moves only when told, for tests of code that runs on the in-memory
 * backend: visibility timeouts, delays, retention and the deduplication window pass at
 * {@link #advance(Duration)} instead of in real time. Thread-safe.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * QueueClient queues = QueueFactory.builder().type("memory").clock(clock).build();
 * ...
 * clock.advance(Duration.ofMinutes(5));   // every in-flight message is visible again
 * }</pre>
 *
 * <p>Long-polling waits are bounded in real time, not by this clock.
 */
public final class ManualClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock at the current system time. */
    public ManualClock() {
        this(Instant.now());
    }

    /** A clock at {@code start}. */
    public ManualClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Moves the clock forward (or, with a negative amount, back) and returns the new time. */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        return now.updateAndGet(t -> t.plus(amount));
    }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view of this clock in another zone; it moves with this one. */
    @Override
    public Clock withZone(ZoneId other) {
        return new ManualClock(now, other);
    }
}
