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
 * more messages than it has slots.
 *
 * <p>With one subscription, its poller long-polls for as many messages as there are free slots.
 * With several, in priority order (the order they were subscribed): a <em>sweep</em> receives
 * without waiting from each queue in turn and starts again at the first queue whenever a receive
 * returned messages; once a whole sweep found nothing, the group <em>parks</em>: each queue
 * long-polls for one message (a lower queue only once every higher one is polling), so that a
 * message arriving anywhere is seen at once, and the first one to arrive starts a new sweep. When
 * there are fewer free slots than queues, parked polls wait only {@link #SHORT_WAIT} and are
 * followed by a new sweep, so that the queues that could not park are not left waiting.
 */
final class PollGroup {
    /** The wait of a parked poll when not every queue could park. */
    static final Duration SHORT_WAIT = Duration.ofSeconds(1);

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

    // Guarded by lock.
    private List<Subscription> subscriptions = List.of();
    private int used;
    private boolean parked;
    private int cursor;
    private boolean stopped;

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
     * ask for; returns {@code null} once the group is stopped.
     */
    @Nullable Plan awaitTurn(Subscription sub) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (stopped) {
                    return null;
                }
                Plan plan = planFor(sub);
                if (plan != null) {
                    used += plan.maxMessages();
                    sub.polling = true;
                    sub.parkedPoll = plan.parked();
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
                return turn == sub && !turn.polling
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
            } else if (!seen && !s.polling) {
                higherAllPolling = false;
            }
            if (!s.polling) {
                notPolling++;
            }
        }
        if (!higherAllPolling) {
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
            sub.polling = stillBusy;
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
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the back-off of a subscription whose receive failed. */
    void resume(Subscription sub) {
        lock.lock();
        try {
            sub.polling = false;
            sub.parkedPoll = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Gives back {@code n} slots of settled messages. */
    void release(int n) {
        lock.lock();
        try {
            used -= n;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops every poller of the group: {@link #awaitTurn} returns {@code null} from now on. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Slots in use (held messages and reservations of receives in progress); for tests. */
    int used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }
}
