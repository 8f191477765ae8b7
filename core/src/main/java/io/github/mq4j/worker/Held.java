package io.github.mq4j.worker;

import io.github.mq4j.ReceivedMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A message the worker holds: received and not yet settled (deleted, retried, dead-lettered or
 * given back).
 *
 * <p>Its state is a few bits changed by compare-and-set, so that the path every message takes
 * (start, then settle) costs two atomic operations and no lock. A visibility extension (by the
 * heartbeat or the handler) marks the message {@code EXTENDING} for the length of its call, and
 * settling waits for it to end: an extension never overrides a backoff or a give-back that
 * follows the settling.
 */
final class Held {
    private static final int STARTED = 1;
    private static final int SETTLED = 2;
    private static final int EXTENDING = 4;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Held.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ReceivedMessage message;
    /** The messages received together with this one. */
    final Batch batch;
    /** When the worker's receive began, by the worker's clock: the 12 h visibility limit counts from here. */
    final Instant receivedAt;

    @SuppressWarnings("unused") // changed through STATE
    private volatile int state;

    // Written only by the holder of an extension (beginExtension), or before the message is shared.
    Instant lastExtendedAt;
    Duration visibility;
    boolean heartbeatStopped;

    Held(ReceivedMessage message, Batch batch, Instant receivedAt, Duration visibility) {
        this.message = message;
        this.batch = batch;
        this.receivedAt = receivedAt;
        this.lastExtendedAt = receivedAt;
        this.visibility = visibility;
    }

    /**
     * The messages of one receive, while any of them is held: how the heartbeat and the shutdown
     * find held messages, registered once per receive rather than once per message.
     */
    static final class Batch {
        private static final VarHandle OPEN;

        static {
            try {
                OPEN = MethodHandles.lookup().findVarHandle(Batch.class, "open", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Held[] messages;
        @SuppressWarnings("unused") // changed through OPEN
        private volatile int open;
        /** The poller's run of this batch, while a poller runs it on its own thread. */
        volatile Subscription.@Nullable InlineRun inlineRun;

        Batch(int size) {
            this.messages = new Held[size];
            this.open = size;
        }

        /** Counts off {@code n} settled messages; returns true when none is left. */
        boolean countOff(int n) {
            return (int) OPEN.getAndAdd(this, -n) == n;
        }
    }

    /** Whether the message is settled. */
    boolean isSettled() {
        return ((int) STATE.getVolatile(this) & SETTLED) != 0;
    }

    /** Marks the handler started; returns false if the message was settled (given back) first. */
    boolean start() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & SETTLED) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s | STARTED)) {
                return true;
            }
        }
    }

    /** Settles the message if its handler has not started; returns whether it did. */
    boolean settleIfUnstarted() {
        return settle(true);
    }

    /** Marks the message settled; returns false if it already was. */
    boolean settle() {
        return settle(false);
    }

    private boolean settle(boolean onlyUnstarted) {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & SETTLED) != 0 || onlyUnstarted && (s & STARTED) != 0) {
                return false;
            }
            if ((s & EXTENDING) != 0) {
                awaitExtension();
            } else if (STATE.compareAndSet(this, s, s | SETTLED)) {
                return true;
            }
        }
    }

    /**
     * Begins an extension of the message's visibility, for the heartbeat: returns false, at once,
     * if the message is settled or another extension is in progress. A true return must be followed
     * by {@link #endExtension()}.
     */
    boolean tryBeginExtension() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & (SETTLED | EXTENDING)) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s | EXTENDING)) {
                return true;
            }
        }
    }

    /**
     * Begins an extension of the message's visibility, for its handler: waits for one in progress
     * to end; returns false if the message is settled. A true return must be followed by
     * {@link #endExtension()}.
     */
    boolean beginExtension() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & SETTLED) != 0) {
                return false;
            }
            if ((s & EXTENDING) != 0) {
                awaitExtension();
            } else if (STATE.compareAndSet(this, s, s | EXTENDING)) {
                return true;
            }
        }
    }

    /** Ends the extension begun by {@link #tryBeginExtension()} or {@link #beginExtension()}. */
    void endExtension() {
        STATE.getAndBitwiseAnd(this, ~EXTENDING);
        synchronized (this) {
            notifyAll();
        }
    }

    /** Waits, uninterruptibly, until no extension is in progress. */
    private void awaitExtension() {
        boolean interrupted = false;
        synchronized (this) {
            while (((int) STATE.getVolatile(this) & EXTENDING) != 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
