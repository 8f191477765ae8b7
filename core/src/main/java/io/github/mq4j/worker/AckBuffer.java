package io.github.mq4j.worker;

import io.github.mq4j.BatchResult;
import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.ReceivedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deletes of one queue's handled messages, batched: a batch goes out when it is full (10
 * receipts, on the thread that filled it) or {@code maxDelay} after its first receipt arrived
 * (on the scheduler), whichever comes first, and at once after {@link #close()}.
 */
final class AckBuffer {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final String worker;
    private final MessageQueue queue;
    private final Duration maxDelay;
    private final ScheduledExecutorService scheduler;

    // Guarded by this.
    private List<ReceivedMessage> pending = new ArrayList<>();
    private boolean flushScheduled;
    private boolean closed;

    AckBuffer(String worker, MessageQueue queue, Duration maxDelay, ScheduledExecutorService scheduler) {
        this.worker = worker;
        this.queue = queue;
        this.maxDelay = maxDelay;
        this.scheduler = scheduler;
    }

    /** Queues the delete of {@code message}; deletes at once if the buffer is full or closed. */
    void add(ReceivedMessage message) {
        List<ReceivedMessage> now = null;
        boolean schedule = false;
        synchronized (this) {
            if (closed) {
                now = List.of(message);
            } else {
                pending.add(message);
                if (pending.size() >= Limits.MAX_RECEIVE_MESSAGES) {
                    now = pending;
                    pending = new ArrayList<>();
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
        if (now != null) {
            delete(now);
        }
    }

    private void flushScheduled() {
        List<ReceivedMessage> now;
        synchronized (this) {
            flushScheduled = false;
            now = pending;
            pending = new ArrayList<>();
        }
        delete(now);
    }

    /** Deletes what is pending; later deletes go out one by one at once. */
    void close() {
        List<ReceivedMessage> now;
        synchronized (this) {
            closed = true;
            now = pending;
            pending = new ArrayList<>();
        }
        delete(now);
    }

    private void delete(List<ReceivedMessage> messages) {
        for (int from = 0; from < messages.size(); from += Limits.MAX_RECEIVE_MESSAGES) {
            List<ReceivedMessage> chunk = messages.subList(from, Math.min(messages.size(), from + Limits.MAX_RECEIVE_MESSAGES));
            List<String> receipts = new ArrayList<>(chunk.size());
            for (ReceivedMessage m : chunk) {
                receipts.add(m.receipt());
            }
            try {
                BatchResult<String> result = queue.deleteBatch(receipts);
                for (BatchResult.Failure<String> f : result.failed()) {
                    ReceivedMessage m = chunk.get(f.index());
                    log.warn("{}: deleting handled message {} from queue '{}' failed; it will be delivered again: {}",
                            worker, m.messageId(), queue.name(), f.error().toString());
                }
            } catch (RuntimeException e) {
                log.warn("{}: deleting {} handled messages from queue '{}' failed; they will be delivered again",
                        worker, chunk.size(), queue.name(), e);
            }
        }
    }
}
