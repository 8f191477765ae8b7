package io.github.mq4j.worker;

import io.github.mq4j.BatchResult;
import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.ReceivedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deletes of one queue's handled messages, batched: a batch goes out when it is full (10
 * receipts, on the thread that filled it, after that thread has freed its handler slot), when the
 * worker holds no other message of the queue that could join it ({@link #takePending()}), or
 * {@code maxDelay} after its first receipt arrived (on the scheduler), whichever comes first, and
 * at once after {@link #close()}, which also waits for batches already on their way. A batch that
 * a poller ran itself makes its own: {@link #sendNow}.
 */
final class AckBuffer {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final String worker;
    private final MessageQueue queue;
    private final Duration maxDelay;
    private final ScheduledExecutorService scheduler;

    /**
     * How long a delete batch takes when nothing gets in its way: the fastest of late, rising by
     * an eighth with each slower batch. A mean took a garbage-collection pause, or waits for a
     * lock that busy threads contend for, as a slow backend, and kept believing it for long: on a
     * loaded machine a worker never ran a quick handler on its pollers. Starts slow until one was
     * measured.
     */
    private volatile long typicalDeleteNanos = TimeUnit.MILLISECONDS.toNanos(1);

    // Guarded by this.
    private List<ReceivedMessage> pending = new ArrayList<>();
    private boolean flushScheduled;
    private boolean closed;
    private int sending;

    AckBuffer(String worker, MessageQueue queue, Duration maxDelay, ScheduledExecutorService scheduler) {
        this.worker = worker;
        this.queue = queue;
        this.maxDelay = maxDelay;
        this.scheduler = scheduler;
    }

    /**
     * Queues the delete of {@code message}. Returns a full batch that the caller must pass to
     * {@link #send(List)} (after freeing its slot), or {@code null}.
     */
    @Nullable List<ReceivedMessage> offer(ReceivedMessage message) {
        List<ReceivedMessage> now = null;
        boolean schedule = false;
        synchronized (this) {
            if (closed) {
                now = List.of(message);
                sending++;
            } else {
                pending.add(message);
                if (pending.size() >= Limits.MAX_RECEIVE_MESSAGES) {
                    now = pending;
                    pending = new ArrayList<>();
                    sending++;
                } else if (!flushScheduled) {
                    flushScheduled = true;
                    schedule = true;
                }
            }
        }
        if (schedule) {
            try {
                scheduler.schedule(this::flushScheduled, maxDelay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                flushScheduled();
            }
        }
        return now;
    }

    /**
     * Takes the pending deletes, for a caller that knows no other handled message will join them
     * soon, and must pass them to {@link #send(List)}; or {@code null} if none are pending.
     */
    synchronized @Nullable List<ReceivedMessage> takePending() {
        if (pending.isEmpty()) {
            return null;
        }
        List<ReceivedMessage> now = pending;
        pending = new ArrayList<>();
        sending++;
        return now;
    }

    /** How long a delete batch takes lately when nothing gets in its way, in nanoseconds. */
    long typicalDeleteNanos() {
        return typicalDeleteNanos;
    }

    /** Deletes a batch {@link #offer} or {@link #takePending()} returned. */
    void send(List<ReceivedMessage> batch) {
        try {
            delete(batch);
        } finally {
            sent();
        }
    }

    private synchronized void sent() {
        sending--;
        if (closed) {
            notifyAll(); // only close() waits
        }
    }

    /**
     * Takes a batch with {@code take} (null if there is none) and deletes it now, on the calling
     * thread: the handled messages of a batch a poller ran itself. It counts as on its way for
     * {@link #close} from before it is taken, so that whoever has taken them, a closing worker
     * that finds none left to take waits for their delete.
     */
    void sendNow(Supplier<@Nullable List<ReceivedMessage>> take) {
        synchronized (this) {
            sending++;
        }
        try {
            List<ReceivedMessage> batch = take.get();
            if (batch != null) {
                delete(batch);
            }
        } finally {
            sent();
        }
    }

    private void flushScheduled() {
        List<ReceivedMessage> now;
        synchronized (this) {
            flushScheduled = false;
            now = takePending();
        }
        if (now != null) {
            send(now);
        }
    }

    /**
     * Deletes what is pending and waits up to {@code timeout} for batches on their way; later
     * deletes go out one by one at once.
     */
    void close(Duration timeout) {
        List<ReceivedMessage> now;
        synchronized (this) {
            closed = true;
            now = pending;
            pending = new ArrayList<>();
        }
        delete(now);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (sending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    log.warn("{}: {} delete batches for queue '{}' still in progress after {} ms", worker, sending,
                            queue.name(), timeout.toMillis());
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void delete(List<ReceivedMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        for (int from = 0; from < messages.size(); from += Limits.MAX_RECEIVE_MESSAGES) {
            List<ReceivedMessage> chunk = messages.size() <= Limits.MAX_RECEIVE_MESSAGES ? messages
                    : messages.subList(from, Math.min(messages.size(), from + Limits.MAX_RECEIVE_MESSAGES));
            String[] receipts = new String[chunk.size()];
            for (int i = 0; i < receipts.length; i++) {
                receipts[i] = chunk.get(i).receipt();
            }
            try {
                long t0 = System.nanoTime();
                BatchResult<String> result = queue.deleteBatch(Arrays.asList(receipts));
                long took = System.nanoTime() - t0;
                long typical = typicalDeleteNanos; // racy, as an estimate may be
                typicalDeleteNanos = took <= typical ? took : typical + Math.min(took - typical, typical / 8 + 1);
                if (!result.allSucceeded()) {
                    for (BatchResult.Failure<String> f : result.failed()) {
                        ReceivedMessage m = chunk.get(f.index());
                        log.warn("{}: deleting handled message {} from queue '{}' failed; it will be delivered again: {}",
                                worker, m.messageId(), queue.name(), f.error().toString());
                    }
                }
            } catch (RuntimeException e) {
                log.warn("{}: deleting {} handled messages from queue '{}' failed; they will be delivered again",
                        worker, chunk.size(), queue.name(), e);
            }
        }
    }
}
