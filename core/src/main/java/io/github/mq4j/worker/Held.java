package io.github.mq4j.worker;

import io.github.mq4j.ReceivedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A message the worker holds: received and not yet settled (deleted, retried, dead-lettered or
 * given back). The lock orders the heartbeat's visibility changes against settling, so that an
 * extension never overrides a backoff or a give-back.
 */
final class Held {
    final ReceivedMessage message;
    final Subscription subscription;
    /** When the worker's receive began, by the worker's clock: the 12 h visibility limit counts from here. */
    final Instant receivedAt;
    final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    Instant lastExtendedAt;
    Duration visibility;
    boolean started;
    boolean settled;
    boolean heartbeatStopped;

    Held(ReceivedMessage message, Subscription subscription, Instant receivedAt, Duration visibility) {
        this.message = message;
        this.subscription = subscription;
        this.receivedAt = receivedAt;
        this.lastExtendedAt = receivedAt;
        this.visibility = visibility;
    }

    /** Marks the handler started; returns false if the message was settled (given back) first. */
    boolean start() {
        lock.lock();
        try {
            if (settled) {
                return false;
            }
            started = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Settles the message if its handler has not started; returns whether it did. */
    boolean settleIfUnstarted() {
        lock.lock();
        try {
            if (started || settled) {
                return false;
            }
            settled = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the message settled; returns false if it already was. */
    boolean settle() {
        lock.lock();
        try {
            if (settled) {
                return false;
            }
            settled = true;
            return true;
        } finally {
            lock.unlock();
        }
    }
}
