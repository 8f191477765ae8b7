package io.github.mq4j.postgres;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wake-ups for long-polling receives, one per queue. A receive reads the queue's epoch before
 * it looks for messages and, finding none, waits for the epoch to move: a signal between the
 * look and the wait is never lost. Thread-safe.
 */
final class Signals {
    private final Map<String, Signal> byQueue = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

    private static final class Signal {
        private long epoch;

        synchronized long epoch() {
            return epoch;
        }

        synchronized void fire() {
            epoch++;
            notifyAll();
        }

        synchronized void await(long seen, long deadlineNanos) throws InterruptedException {
            while (epoch == seen) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
        }
    }

    private Signal signal(String queue) {
        return byQueue.computeIfAbsent(queue, q -> new Signal());
    }

    long epoch(String queue) {
        return signal(queue).epoch();
    }

    void fire(String queue) {
        signal(queue).fire();
    }

    void fireAll() {
        byQueue.values().forEach(Signal::fire);
    }

    /** Waits until {@code queue} is signalled after {@code seen}, {@code max} passes, or the backend closes. */
    void await(String queue, long seen, Duration max) throws InterruptedException {
        if (closed) {
            return;
        }
        waiting.incrementAndGet();
        try {
            signal(queue).await(seen, System.nanoTime() + max.toNanos());
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** How many receives are waiting now (for tests). */
    int waiting() {
        return waiting.get();
    }

    void close() {
        closed = true;
        fireAll();
    }
}
