package io.github.mq4j.worker;

import io.github.mq4j.ReceivedMessage;
import java.time.Duration;

/**
 * Told what a {@link Worker} does, for metrics. Every method does nothing by default; implement
 * the ones you need. {@code io.github.mq4j.worker.micrometer.MicrometerWorkerListener} records
 * them in Micrometer.
 *
 * <p>For every message received: {@link #onReceived}, then either {@link #onReleased} (given back
 * without being run, at shutdown or after an earlier message of its FIFO group failed) or its
 * handler's outcome: {@link #onSucceeded}, or {@link #onFailed} followed by {@link #onRetried} or
 * {@link #onDeadLettered}. {@link #onInFlightChanged} follows every change of the number of
 * messages the worker holds for a queue.
 *
 * <p>Methods are called from the worker's threads, concurrently; implementations must be
 * thread-safe and fast. An exception a method throws is logged and otherwise ignored.
 */
public interface WorkerListener {

    /** A listener that does nothing. */
    WorkerListener NONE = new WorkerListener() {};

    /** The worker received {@code message}. */
    default void onReceived(ReceivedMessage message) {}

    /** The handler returned; the message will be deleted. */
    default void onSucceeded(ReceivedMessage message, Duration handlerDuration) {}

    /**
     * The handler threw, or rejected the message as poison ({@code error} is then a
     * {@link PoisonMessageException}).
     */
    default void onFailed(ReceivedMessage message, Throwable error, Duration handlerDuration) {}

    /** The failed message stays hidden for {@code backoff} and is then delivered again. */
    default void onRetried(ReceivedMessage message, Duration backoff) {}

    /** The failed message goes to the dead-letter queue, for {@code reason}. */
    default void onDeadLettered(ReceivedMessage message, DeadLetterReason reason) {}

    /** The message was given back (made visible at once) without its handler having run. */
    default void onReleased(ReceivedMessage message) {}

    /** The worker extended the visibility of {@code message}, which it still holds, by {@code timeout} from now. */
    default void onVisibilityExtended(ReceivedMessage message, Duration timeout) {}

    /** The worker now holds {@code inFlight} messages of {@code queue} (running or waiting to run). */
    default void onInFlightChanged(String queue, int inFlight) {}
}
