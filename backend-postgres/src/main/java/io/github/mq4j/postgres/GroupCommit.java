package io.github.mq4j.postgres;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Group commit in the application: concurrent calls of one kind on one queue (sends, deletes)
 * are combined into one statement and one transaction, so that N threads calling at once cost
 * one round trip and one commit instead of N. Each caller returns only after the commit that
 * holds its items, with exactly its own results.
 *
 * <p>No thread of its own: the first caller that finds no round running becomes the leader,
 * takes every call queued behind it (up to {@code maxItems} items), runs them as one round and
 * hands the results out; callers that arrive meanwhile queue for the next round, whose leader is
 * the oldest of them. At most {@code maxRounds} rounds run at once. A caller alone never waits:
 * it leads a round of its own call at once.
 *
 * <p>A combined round that fails with anything but a lost connection (SQL state class 08) was
 * rolled back: each of its calls then runs again on its own, so that an error is only reported
 * to the call that caused it. A lost connection fails every call of the round, as it would have
 * failed each of them alone (whether the commit happened is unknown; retrying it blindly could
 * duplicate messages). Thread-safe.
 *
 * @param <I> an item of a call (a message, a receipt)
 * @param <O> the result of one item
 */
final class GroupCommit<I, O> {
    /** Runs items in one statement and one transaction; returns one result per item, in order. */
    @FunctionalInterface
    interface Round<I, O> {
        List<O> run(List<I> items) throws SQLException;
    }

    private final Round<I, O> round;
    private final int maxRounds;
    private final int maxItems;
    private final ToIntFunction<I> weight;
    private final int maxWeight;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Call> queued = new ArrayDeque<>();
    private int running;

    /**
     * @param maxRounds how many rounds may run at once (at least 1)
     * @param maxItems the most items a round combines (a single call may exceed it; it then runs alone)
     * @param weight the size of an item (message bytes), limited per round by {@code maxWeight} like {@code maxItems}
     */
    GroupCommit(Round<I, O> round, int maxRounds, int maxItems, ToIntFunction<I> weight, int maxWeight) {
        if (maxRounds < 1 || maxItems < 1 || maxWeight < 1) {
            throw new IllegalArgumentException("maxRounds, maxItems and maxWeight must be positive");
        }
        this.round = round;
        this.maxRounds = maxRounds;
        this.maxItems = maxItems;
        this.weight = weight;
        this.maxWeight = maxWeight;
    }

    /** Runs {@code items}, combined with those of concurrent calls; returns their results in order. */
    List<O> run(List<I> items) throws SQLException {
        Call call = new Call(items);
        List<Call> batch;
        lock.lock();
        try {
            queued.addLast(call);
            // wait until a round ran this call, or this call is the oldest queued and a round may start
            while (!call.done && (queued.peekFirst() != call || running >= maxRounds)) {
                call.wake.awaitUninterruptibly();
            }
            if (call.done) {
                batch = List.of();
            } else {
                batch = take();
                running++;
                wakeNextLeader();
            }
        } finally {
            lock.unlock();
        }
        if (!batch.isEmpty()) {
            try {
                runRound(batch);
            } finally {
                // even if the round threw an Error: the others must not wait forever
                lock.lock();
                try {
                    running--;
                    for (Call c : batch) {
                        if (c.results == null && c.error == null && c.unexpected == null && !c.retryAlone) {
                            c.unexpected = new IllegalStateException("the combined round of this call failed");
                        }
                        c.done = true;
                        c.wake.signal();
                    }
                    wakeNextLeader();
                } finally {
                    lock.unlock();
                }
            }
        }
        return call.result();
    }

    /** How many calls wait for a round (for tests). */
    int queuedCalls() {
        lock.lock();
        try {
            return queued.size();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest queued calls that fit in a round (at least one); the caller holds the lock. */
    private List<Call> take() {
        List<Call> batch = new ArrayList<>();
        int items = 0;
        int total = 0;
        while (!queued.isEmpty()) {
            Call next = queued.peekFirst();
            int w = next.weight();
            if (!batch.isEmpty() && (items + next.items.size() > maxItems || total + w > maxWeight)) {
                break;
            }
            batch.add(queued.pollFirst());
            items += next.items.size();
            total += w;
        }
        return batch;
    }

    /** Lets the oldest queued call lead a round if one may start; the caller holds the lock. */
    private void wakeNextLeader() {
        Call first = queued.peekFirst();
        if (first != null && running < maxRounds) {
            first.wake.signal();
        }
    }

    /**
     * Runs a round and records each call's outcome; the calls of a combined round that was
     * rolled back are marked to run again on their own, each in its own thread.
     */
    private void runRound(List<Call> batch) {
        if (batch.size() == 1) {
            runAlone(batch.get(0));
            return;
        }
        List<I> items = new ArrayList<>();
        for (Call c : batch) {
            items.addAll(c.items);
        }
        try {
            List<O> results = round.run(items);
            int from = 0;
            for (Call c : batch) {
                c.results = results.subList(from, from + c.items.size());
                from += c.items.size();
            }
        } catch (SQLException e) {
            // a lost connection: whether the round's commit happened is unknown
            for (Call c : batch) {
                if (Sql.isConnectionLost(e)) {
                    c.error = e;
                } else {
                    c.retryAlone = true;
                }
            }
        } catch (RuntimeException e) {
            for (Call c : batch) {
                c.unexpected = e;
            }
        }
    }

    private void runAlone(Call call) {
        try {
            call.results = round.run(call.items);
            call.error = null;
        } catch (SQLException e) {
            call.error = e;
        } catch (RuntimeException e) {
            call.unexpected = e;
        }
    }

    /**
     * One caller's items and, once its round ran, its outcome: written by the round's leader
     * before it sets {@code done} under the lock, read by the caller after it saw {@code done}.
     */
    private final class Call {
        final List<I> items;
        final Condition wake = lock.newCondition();
        boolean done;
        boolean retryAlone;
        @Nullable List<O> results;
        @Nullable SQLException error;
        @Nullable RuntimeException unexpected;

        Call(List<I> items) {
            this.items = items;
        }

        int weight() {
            int w = 0;
            for (I item : items) {
                w += weight.applyAsInt(item);
            }
            return w;
        }

        /** The outcome; runs the call on its own first if its combined round was rolled back. */
        List<O> result() throws SQLException {
            if (retryAlone) {
                retryAlone = false;
                runAlone(this);
            }
            if (unexpected != null) {
                throw unexpected;
            }
            if (error != null) {
                throw error;
            }
            return results;
        }
    }
}
