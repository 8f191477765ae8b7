package io.github.mq4j.worker;

import io.github.mq4j.ReceivedMessage;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls the application's listener and logs, instead of propagating, what it throws. */
final class SafeListener implements WorkerListener {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final String worker;
    private final WorkerListener delegate;

    SafeListener(String worker, WorkerListener delegate) {
        this.worker = worker;
        this.delegate = delegate;
    }

    private void failed(String event, String queue, RuntimeException e) {
        log.warn("{}: listener {} failed in {} for queue '{}'", worker, delegate.getClass().getName(), event, queue, e);
    }

    @Override
    public void onReceived(ReceivedMessage message) {
        try {
            delegate.onReceived(message);
        } catch (RuntimeException e) {
            failed("onReceived", message.queue(), e);
        }
    }

    @Override
    public void onSucceeded(ReceivedMessage message, Duration handlerDuration) {
        try {
            delegate.onSucceeded(message, handlerDuration);
        } catch (RuntimeException e) {
            failed("onSucceeded", message.queue(), e);
        }
    }

    @Override
    public void onFailed(ReceivedMessage message, Throwable error, Duration handlerDuration) {
        try {
            delegate.onFailed(message, error, handlerDuration);
        } catch (RuntimeException e) {
            failed("onFailed", message.queue(), e);
        }
    }

    @Override
    public void onRetried(ReceivedMessage message, Duration backoff) {
        try {
            delegate.onRetried(message, backoff);
        } catch (RuntimeException e) {
            failed("onRetried", message.queue(), e);
        }
    }

    @Override
    public void onDeadLettered(ReceivedMessage message, DeadLetterReason reason) {
        try {
            delegate.onDeadLettered(message, reason);
        } catch (RuntimeException e) {
            failed("onDeadLettered", message.queue(), e);
        }
    }

    @Override
    public void onReleased(ReceivedMessage message) {
        try {
            delegate.onReleased(message);
        } catch (RuntimeException e) {
            failed("onReleased", message.queue(), e);
        }
    }

    @Override
    public void onVisibilityExtended(ReceivedMessage message, Duration timeout) {
        try {
            delegate.onVisibilityExtended(message, timeout);
        } catch (RuntimeException e) {
            failed("onVisibilityExtended", message.queue(), e);
        }
    }

    @Override
    public void onInFlightChanged(String queue, int inFlight) {
        try {
            delegate.onInFlightChanged(queue, inFlight);
        } catch (RuntimeException e) {
            failed("onInFlightChanged", queue, e);
        }
    }
}
