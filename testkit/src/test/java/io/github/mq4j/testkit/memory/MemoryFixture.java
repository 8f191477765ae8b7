package io.github.mq4j.testkit.memory;

import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.Topology;
import io.github.mq4j.memory.ManualClock;
import io.github.mq4j.testkit.BackendFixture;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs the conformance suite on the in-memory backend. Every client is a new backend (so it is
 * isolated by construction) on one {@link ManualClock}, which {@link #advance(Duration)} moves:
 * no test sleeps through a timeout. One fixture per test instance; not shared between threads.
 */
final class MemoryFixture implements BackendFixture {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Override
    public QueueClient open(Topology topology) {
        return QueueFactory.builder().type("memory").topology(topology).clock(clock).build();
    }

    @Override
    public void advance(Duration amount) {
        clock.advance(amount);
    }

    @Override
    public Duration maxAdvance() {
        return Duration.ofDays(365);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }
}
