package io.github.mq4j.testkit.selftest;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.Topology;
import io.github.mq4j.memory.ManualClock;
import io.github.mq4j.testkit.BackendFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * The in-memory backend with one rule broken: every queue the client hands out is wrapped by
 * {@code breaker}, and with {@code ignoreClose} closing the client does nothing.
 */
final class BrokenFixture implements BackendFixture {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final UnaryOperator<MessageQueue> breaker;
    private final boolean ignoreClose;

    BrokenFixture(UnaryOperator<MessageQueue> breaker) {
        this(breaker, false);
    }

    BrokenFixture(UnaryOperator<MessageQueue> breaker, boolean ignoreClose) {
        this.breaker = breaker;
        this.ignoreClose = ignoreClose;
    }

    @Override
    public QueueClient open(Topology topology) {
        QueueClient real = QueueFactory.builder().type("memory").topology(topology).clock(clock).build();
        return new QueueClient() {
            private boolean closed;

            @Override
            public String type() {
                return real.type();
            }

            @Override
            public Topology topology() {
                return real.topology();
            }

            @Override
            public MessageQueue queue(String name) {
                return breaker.apply(real.queue(name));
            }

            @Override
            public void close() {
                if (!ignoreClose) {
                    real.close();
                } else if (closed) {
                    real.close();
                }
                closed = true;
            }
        };
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
