package io.github.mq4j.sqs;

import io.github.mq4j.BatchResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Collects single-entry calls from many threads into batch requests of up to {@code maxEntries}
 * entries and {@code maxBytes} bytes ("natural" batching): a caller whose entry finds no request
 * in flight sends at once, alone, so a lone sender pays no extra latency; callers that arrive
 * while {@code maxConcurrent} partial batches are in flight wait, and the next free caller sends
 * all that has gathered in one request. A full batch is sent at once whatever is in flight. No
 * background thread and no polling: the callers themselves send, and a caller whose own entry is
 * done while others still wait wakes one of them to carry on.
 *
 * <p>Thread-safe.
 *
 * @param <E> an entry
 * @param <R> what a successful entry yields
 */
final class AutoBatcher<E, R> {

    /** Sends one batch; returns one outcome per entry, in order (indexes within the batch), and never throws. */
    interface Flush<E, R> {
        List<BatchResult.Entry<R>> flush(List<E> entries);
    }

    /** One caller's entry, its outcome once sent, and the caller's thread to wake. */
    private static final class Pending<E, R> {
        final E entry;
        final int bytes;
        final Thread caller = Thread.currentThread();
        volatile BatchResult.@Nullable Entry<R> result;

        Pending(E entry, int bytes) {
            this.entry = entry;
            this.bytes = bytes;
        }

        void complete(BatchResult.Entry<R> outcome) {
            result = outcome;
            LockSupport.unpark(caller);
        }
    }

    private final int maxEntries;
    private final int maxBytes;
    private final Semaphore partialPermits;
    private final Flush<E, R> flush;
    private final Function<E, Integer> size;
    private final ArrayDeque<Pending<E, R>> queue = new ArrayDeque<>();

    AutoBatcher(int maxEntries, int maxBytes, int maxConcurrent, Function<E, Integer> size, Flush<E, R> flush) {
        if (maxEntries < 1 || maxBytes < 1 || maxConcurrent < 1) {
            throw new IllegalArgumentException("maxEntries, maxBytes and maxConcurrent must be positive: "
                    + maxEntries + ", " + maxBytes + ", " + maxConcurrent);
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.partialPermits = new Semaphore(maxConcurrent);
        this.size = size;
        this.flush = flush;
    }

    /**
     * Sends {@code entry} in some batch and returns its outcome; blocks until that batch's request
     * returns. The calling thread may send other callers' entries meanwhile, but returns as soon as
     * its own is done, handing the rest to a waiting caller.
     */
    BatchResult.Entry<R> submit(E entry) {
        Pending<E, R> own = new Pending<>(entry, size.apply(entry));
        synchronized (queue) {
            queue.addLast(own);
        }
        drain(own);
        boolean interrupted = false;
        while (own.result == null) {
            LockSupport.park(this);
            // The entry is queued and cannot be taken back: finish, and keep the interrupt for the caller.
            interrupted |= Thread.interrupted();
            if (own.result == null) {
                drain(own); // woken to take over sending
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return own.result;
    }

    /** Sends gathered batches while there are any and a permit can be had, until {@code own} is done. */
    private void drain(Pending<E, R> own) {
        while (own.result == null) {
            List<Pending<E, R>> batch;
            boolean permit = false;
            synchronized (queue) {
                if (queue.isEmpty()) {
                    return;
                }
                if (queue.size() < maxEntries) {
                    if (!partialPermits.tryAcquire()) {
                        return; // a sender in flight will take these when it is done, or wake one of us
                    }
                    permit = true;
                }
                batch = take();
            }
            try {
                send(batch);
            } finally {
                if (permit) {
                    partialPermits.release();
                }
            }
        }
        // Our own entry is done: leave, but hand what has gathered to one of its waiting callers.
        synchronized (queue) {
            Pending<E, R> next = queue.peekFirst();
            if (next != null) {
                LockSupport.unpark(next.caller);
            }
        }
    }

    /** Takes the next batch off the queue; holds the queue's lock. */
    private List<Pending<E, R>> take() {
        List<Pending<E, R>> batch = new ArrayList<>(Math.min(maxEntries, queue.size()));
        int bytes = 0;
        while (!queue.isEmpty() && batch.size() < maxEntries) {
            Pending<E, R> next = queue.peekFirst();
            if (!batch.isEmpty() && bytes + next.bytes > maxBytes) {
                break;
            }
            bytes += next.bytes;
            batch.add(queue.pollFirst());
        }
        return batch;
    }

    private void send(List<Pending<E, R>> batch) {
        List<E> entries = new ArrayList<>(batch.size());
        for (Pending<E, R> p : batch) {
            entries.add(p.entry);
        }
        List<BatchResult.Entry<R>> outcomes;
        try {
            outcomes = flush.flush(entries);
        } catch (RuntimeException e) {
            for (Pending<E, R> p : batch) {
                p.complete(new BatchResult.Failure<>(0, e));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).complete(outcomes.get(i));
        }
    }
}
