package io.github.mq4j.worker;

import io.github.mq4j.ReceivedMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
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
    /** The messages received together with this one, and this one's place among them. */
    final Batch batch;
    final int index;
    /** When the worker's receive began, by the worker's clock: the 12 h visibility limit counts from here. */
    final Instant receivedAt;

    @SuppressWarnings("unused") // changed through STATE
    private volatile int state;

    // Written only by the holder of an extension (beginExtension), or before the message is shared.
    Instant lastExtendedAt;
    Duration visibility;
    boolean heartbeatStopped;

    Held(ReceivedMessage message, Batch batch, int index, Instant receivedAt, Duration visibility) {
        this.message = message;
        this.batch = batch;
        this.index = index;
        this.receivedAt = receivedAt;
        this.lastExtendedAt = receivedAt;
        this.visibility = visibility;
    }

    /**
     * The messages of one receive, while any of them is held: how the heartbeat and the shutdown
     * find held messages, registered once per receive rather than once per message. A message's
     * place is cleared (null) once it is finished, so that a long handler does not keep the other
     * messages of its receive in memory.
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

        final @Nullable Held[] messages;
        @SuppressWarnings("unused") // changed through OPEN
        private volatile int open;
        /** For the set of batches, instead of an identity hash code, which is set up on first use at a cost. */
        private final int hash = ThreadLocalRandom.current().nextInt();
        /** The poller's run of this batch, while a poller runs it on its own thread. */
        volatile Subscription.@Nullable InlineRun inlineRun;

        Batch(int size) {
            this.messages = new Held[size];
            this.open = size;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return this == other;
        }

        /** Counts off {@code n} settled messages; returns true when none is left. */
        boolean countOff(int n) {
            return (int) OPEN.getAndAdd(this, -n) == n;
        }
    }

    /** Marks the handler started; returns false if the message was settled (given back) first. */
    boolean start() {
        return add(STARTED, SETTLED, false);
    }

    /** Settles the message if its handler has not started; returns whether it did. */
    boolean settleIfUnstarted() {
        return add(SETTLED, SETTLED | STARTED, true);
    }

    /** Marks the message settled; returns false if it already was. */
    boolean settle() {
        return add(SETTLED, SETTLED, true);
    }

    /**
     * Begins an extension of the message's visibility, for the heartbeat: returns false, at once,
     * if the message is settled or another extension is in progress. A true return must be followed
     * by {@link #endExtension()}.
     */
    boolean tryBeginExtension() {
        return add(EXTENDING, SETTLED | EXTENDING, false);
    }

    /**
     * Begins an extension of the message's visibility, for its handler: waits for one in progress
     * to end; returns false if the message is settled. A true return must be followed by
     * {@link #endExtension()}.
     */
    boolean beginExtension() {
        return add(EXTENDING, SETTLED, true);
    }

    /**
     * Sets {@code bit} unless one of {@code refused} is set (then returns false); with
     * {@code afterExtension}, first waits for an extension in progress to end.
     */
    private boolean add(int bit, int refused, boolean afterExtension) {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & refused) != 0) {
                return false;
            }
            if (afterExtension && (s & EXTENDING) != 0) {
                awaitExtension();
            } else if (STATE.compareAndSet(this, s, s | bit)) {
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
