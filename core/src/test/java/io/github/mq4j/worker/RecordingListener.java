package io.github.mq4j.worker;

import io.github.mq4j.ReceivedMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that counts every event, for assertions. */
final class RecordingListener implements WorkerListener {
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger succeeded = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final AtomicInteger extended = new AtomicInteger();
    final List<Duration> retries = new CopyOnWriteArrayList<>();
    final List<DeadLetterReason> deadLettered = new CopyOnWriteArrayList<>();
    final List<Duration> handlerDurations = new CopyOnWriteArrayList<>();
    final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    final Map<String, Integer> maxInFlight = new ConcurrentHashMap<>();

    @Override
    public void onReceived(ReceivedMessage message) {
        received.incrementAndGet();
    }

    @Override
    public void onSucceeded(ReceivedMessage message, Duration handlerDuration) {
        handlerDurations.add(handlerDuration);
        succeeded.incrementAndGet();
    }

    @Override
    public void onFailed(ReceivedMessage message, Throwable error, Duration handlerDuration) {
        handlerDurations.add(handlerDuration);
        failed.incrementAndGet();
    }

    @Override
    public void onRetried(ReceivedMessage message, Duration backoff) {
        retries.add(backoff);
    }

    @Override
    public void onDeadLettered(ReceivedMessage message, DeadLetterReason reason) {
        deadLettered.add(reason);
    }

    @Override
    public void onReleased(ReceivedMessage message) {
        released.incrementAndGet();
    }

    @Override
    public void onVisibilityExtended(ReceivedMessage message, Duration timeout) {
        extended.incrementAndGet();
    }

    @Override
    public void onInFlightChanged(String queue, int count) {
        inFlight.put(queue, count);
        maxInFlight.merge(queue, count, Math::max);
    }
}
