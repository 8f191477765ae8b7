package io.github.mq4j.worker;

import io.github.mq4j.Limits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The handler slots that one or more subscriptions share, and whose turn it is to receive.
 *
 * <p>A slot is taken for every message a receive may return before the receive starts, and given
 * back when the message is settled (or when the receive returned fewer): the worker never holds
 * more messages than it has slots. A receive that could take more messages if more slots were
 * free waits up to {@link #FILL_WAIT_NANOS} for running handlers to free them.
 *
 * <p>With one subscription, its pollers (one per 10 slots, so that several receives can be in
 * progress at once) long-poll for as many messages as there are free slots, at most 10 each.
 * With several, in priority order (the order they were subscribed): a <em>sweep</em> receives
 * without waiting from each queue in turn and starts again at the first queue whenever a receive
 * returned messages; once a whole sweep found nothing, the group <em>parks</em>: each queue
 * long-polls for one message (a lower queue only once every higher one is polling), so that a
 * message arriving anywhere is seen at once, and the first one to arrive starts a new sweep. When
 * there are fewer free slots than queues, parked polls wait only {@link #SHORT_WAIT} and are
 * followed by a new sweep, so that the queues that could not park are not left waiting.
 *
 * <p>While a subscription alone in its group {@link Subscription#takesTurns() takes turns}, one
 * of its pollers has the turn: it receives (and runs what it receives), and the others wait on
 * {@link #turnEnded} without receiving, until its turn ends ({@link #endTurn}: its handler
 * stalled, its receive failed, or it exits) or it finds, as it takes its next turn, that the
 * subscription no longer takes turns.
 */
final class PollGroup {
    /** The wait of a parked poll when not every queue could park. */
    static final Duration SHORT_WAIT = Duration.ofSeconds(1);
    /**
     * How long a receive that could take more messages if more slots were free waits for running
     * handlers to free them, so that a worker whose handlers finish in quick succession receives
     * in full batches rather than one message at a time.
     */
    static final long FILL_WAIT_NANOS = Duration.ofMillis(5).toNanos();

    /**
     * One receive a subscription may make: how many messages, and how long to wait.
     *
     * @param parked whether it is a parked long poll (rather than a sweep's receive)
     * @param partial whether it parked while not every queue could (too few free slots)
     */
    record Plan(int maxMessages, Duration waitTime, boolean parked, boolean partial) {}

    final String label;
    final int capacity;
    private final Duration pollWaitTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /**
     * Where pollers wait while another has the turn: apart from {@link #changed}, so that they
     * neither take the wake-ups meant for the poller whose turn it is nor are woken for each.
     */
    private final Condition turnEnded = lock.newCondition();

    // Guarded by lock.
    private List<Subscription> subscriptions = List.of();
    private int used;
    private int reserved;
    private boolean parked;
    private int cursor;
    private boolean stopped;
    /** While the pollers take turns ({@link Subscription#takesTurns()}): the one whose turn it is. */
    private @Nullable Thread turn;

    PollGroup(String label, int capacity, Duration pollWaitTime) {
        this.label = label;
        this.capacity = capacity;
        this.pollWaitTime = pollWaitTime;
    }

    void setSubscriptions(List<Subscription> value) {
        lock.lock();
        try {
            subscriptions = List.copyOf(value);
        } finally {
            lock.unlock();
        }
    }

    List<Subscription> subscriptions() {
        lock.lock();
        try {
            return subscriptions;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until {@code sub} may receive, reserves the slots of its receive and returns what to
     * ask for; returns {@code null} once the group is stopped. First gives back {@code settled}
     * slots of messages the caller settled (as {@link #release} does, in the same lock).
     */
    @Nullable Plan awaitTurn(Subscription sub, int settled) throws InterruptedException {
        lock.lock();
        try {
            if (settled > 0) {
                // the caller takes the slots itself and, below, passes the wake-up on if it leaves
                // some (only a subscription alone in its group runs batches on its pollers, but
                // with several, the others would be waiting for their turn)
                releaseLocked(settled, subscriptions.size() > 1);
            }
            long fillDeadline = 0;
            Thread me = Thread.currentThread();
            while (true) {
                if (stopped) {
                    return null;
                }
                // only a subscription alone in its group has several pollers
                boolean turns = subscriptions.size() == 1 && sub.takesTurns();
                if (turns && turn != null && turn != me) {
                    // a wake-up this poller took from the one whose turn it is is passed on to it
                    changed.signal();
                    turnEnded.await(); // until the turn ends, or the pollers stop taking turns
                    continue;
                }
                Plan plan = planFor(sub);
                if (plan != null && !plan.parked() || plan != null && subscriptions.size() == 1) {
                    // A batch receive: if running handlers will soon free more slots, wait briefly for them.
                    int batch = Math.min(Limits.MAX_RECEIVE_MESSAGES, capacity);
                    if (plan.maxMessages() < batch && used - reserved > 0) {
                        long now = System.nanoTime();
                        if (fillDeadline == 0) {
                            fillDeadline = now + FILL_WAIT_NANOS;
                        }
                        if (now - fillDeadline < 0) {
                            changed.awaitNanos(fillDeadline - now);
                            continue;
                        }
                    }
                }
                if (plan != null) {
                    used += plan.maxMessages();
                    reserved += plan.maxMessages();
                    sub.polls++;
                    sub.parkedPoll = plan.parked();
                    if (turns) {
                        turn = me; // the others wait: no wake-up to pass on
                    } else {
                        if (turn == me) {
                            turn = null; // they stopped taking turns: the others wait no longer
                            turnEnded.signalAll();
                        }
                        if (subscriptions.size() == 1 && used < capacity) {
                            changed.signal(); // pass the wake-up on: slots are left for another poller
                        }
                    }
                    return plan;
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private @Nullable Plan planFor(Subscription sub) {
        int free = capacity - used;
        if (free <= 0) {
            return null;
        }
        if (subscriptions.size() == 1) {
            return new Plan(Math.min(Limits.MAX_RECEIVE_MESSAGES, free), pollWaitTime, true, false);
        }
        if (!parked) {
            // A queue with a parked poll out needs no sweep: that poll returns what arrives.
            while (cursor < subscriptions.size() && subscriptions.get(cursor).parkedPoll) {
                cursor++;
            }
            if (cursor < subscriptions.size()) {
                Subscription turn = subscriptions.get(cursor);
                return turn == sub && turn.polls == 0
                        ? new Plan(Math.min(Limits.MAX_RECEIVE_MESSAGES, free), Duration.ZERO, false, false)
                        : null;
            }
            parked = true;
        }
        int notPolling = 0;
        boolean higherAllPolling = true;
        boolean seen = false;
        for (Subscription s : subscriptions) {
            if (s == sub) {
                seen = true;
            } else if (!seen && s.polls == 0) {
                higherAllPolling = false;
            }
            if (s.polls == 0) {
                notPolling++;
            }
        }
        if (!higherAllPolling || sub.polls > 0) {
            return null;
        }
        boolean partial = free < notPolling;
        return new Plan(1, partial ? min(pollWaitTime, SHORT_WAIT) : pollWaitTime, true, partial);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Ends {@code sub}'s receive, which returned {@code received} messages: gives back the slots it
     * did not fill and decides whose turn is next. With {@code stillBusy} (the receive failed and
     * the poller backs off) the subscription counts as polling until {@link #resume}.
     */
    void pollEnded(Subscription sub, Plan plan, int received, boolean stillBusy) {
        lock.lock();
        try {
            used -= plan.maxMessages() - received;
            reserved -= plan.maxMessages();
            if (!stillBusy) {
                sub.polls--;
            }
            sub.parkedPoll = stillBusy;
            if (subscriptions.size() > 1) {
                int index = subscriptions.indexOf(sub);
                if (received > 0) {
                    parked = false;
                    cursor = 0;
                } else if (!plan.parked()) {
                    if (cursor == index) {
                        cursor++;
                    }
                } else if (plan.partial()) {
                    parked = false;
                    cursor = 0;
                }
            }
            if (plan.maxMessages() > received || subscriptions.size() > 1) {
                wake();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends {@code poller}'s turn if it has it, so that another poller takes the next: its handler
     * stalled, its receive failed, or it exits.
     */
    void endTurn(Thread poller) {
        lock.lock();
        try {
            if (turn == poller) {
                turn = null;
                turnEnded.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the back-off of a subscription whose receive failed. */
    void resume(Subscription sub) {
        lock.lock();
        try {
            sub.polls--;
            sub.parkedPoll = false;
            wake();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives back {@code n} slots of settled messages. Wakes the pollers only when it matters: a first
     * slot is free, a whole batch is, or no message is held any more (a poller waiting for more
     * slots to fill its batch wakes by itself when its short wait ends).
     */
    void release(int n) {
        lock.lock();
        try {
            releaseLocked(n, true);
        } finally {
            lock.unlock();
        }
    }

    private void releaseLocked(int n, boolean wake) {
        int freeBefore = capacity - used;
        used -= n;
        int free = capacity - used;
        if (wake && (freeBefore <= 0 || free >= Math.min(Limits.MAX_RECEIVE_MESSAGES, capacity) || used == reserved)) {
            wake();
        }
    }

    /**
     * Wakes the pollers. The pollers of a group with one subscription are alike, so one is enough
     * (it passes the wake-up on if slots are left); otherwise all, as each waits for its own turn.
     */
    private void wake() {
        if (subscriptions.size() == 1) {
            changed.signal();
        } else {
            changed.signalAll();
        }
    }

    /** Stops every poller of the group: {@link #awaitTurn} returns {@code null} from now on. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
            turnEnded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Slots of held messages (not counting the reservations of receives in progress); for tests. */
    int heldSlots() {
        lock.lock();
        try {
            return used - reserved;
        } finally {
            lock.unlock();
        }
    }
}
