package io.github.mq4j.sqs;

import io.github.mq4j.BatchResult;
import io.github.mq4j.MessageQueueException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Collects single-entry calls from many threads into batch requests of up to {@code maxEntries}
 * entries and {@code maxBytes} bytes ("natural" batching): a caller whose entry finds no request
 * in flight sends at once, alone, so a lone sender pays no extra latency; callers that arrive
 * while {@code maxConcurrent} partial batches are in flight wait, and the next free caller sends
 * all that has gathered in one request. A full batch is sent at once whatever is in flight. No
 * background thread: the callers themselves send.
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

    private record Pending<E, R>(E entry, int bytes, CompletableFuture<BatchResult.Entry<R>> result) {}

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

    /** Sends {@code entry} in some batch and returns its outcome; blocks until that batch's request returns. */
    BatchResult.Entry<R> submit(E entry) {
        Pending<E, R> p = new Pending<>(entry, size.apply(entry), new CompletableFuture<>());
        synchronized (queue) {
            queue.addLast(p);
        }
        drain();
        while (true) {
            try {
                return p.result().get(1, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // The thread that held the last free permit may have left before seeing our entry.
                drain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MessageQueueException("interrupted while waiting for a batched request", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("batch flush failed unexpectedly", e.getCause());
            }
        }
    }

    private void drain() {
        while (true) {
            List<Pending<E, R>> batch;
            boolean permit = false;
            synchronized (queue) {
                if (queue.isEmpty()) {
                    return;
                }
                if (queue.size() < maxEntries) {
                    if (!partialPermits.tryAcquire()) {
                        return;
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
    }

    /** Takes the next batch off the queue; holds the queue's lock. */
    private List<Pending<E, R>> take() {
        List<Pending<E, R>> batch = new ArrayList<>(Math.min(maxEntries, queue.size()));
        int bytes = 0;
        while (!queue.isEmpty() && batch.size() < maxEntries) {
            Pending<E, R> next = queue.peekFirst();
            if (!batch.isEmpty() && bytes + next.bytes() > maxBytes) {
                break;
            }
            bytes += next.bytes();
            batch.add(queue.pollFirst());
        }
        return batch;
    }

    private void send(List<Pending<E, R>> batch) {
        List<E> entries = new ArrayList<>(batch.size());
        for (Pending<E, R> p : batch) {
            entries.add(p.entry());
        }
        List<BatchResult.Entry<R>> outcomes;
        try {
            outcomes = flush.flush(entries);
        } catch (RuntimeException e) {
            for (Pending<E, R> p : batch) {
                p.result().complete(new BatchResult.Failure<>(0, e));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(outcomes.get(i));
        }
    }
}
