package io.github.mq4j.testkit.reliability;

import io.github.mq4j.BatchResult;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.MessageQueueException;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Threads that send messages numbered by a {@link MessageLedger} to one queue, one after another
 * with a pause between sends, until {@link #close()}: every tenth send is a batch of five, the
 * others single sends. A confirmed send is recorded as {@link MessageLedger#sent(String) sent}, a
 * failed one as {@link MessageLedger#uncertain(String) uncertain}; a failure that is not a
 * {@link MessageQueueException} naming the queue (a raw driver or SDK exception, a
 * {@code NullPointerException}) is also kept as {@link #unexpectedErrors() unexpected}.
 *
 * <p>On a FIFO queue each thread owns {@code groupsPerThread} message groups and sends to them in
 * turn, so that the order within each group is the order of the ledger's sequence numbers; each
 * message's deduplication id is its body, so that a send the client library retries is not stored
 * twice. Thread-safe.
 */
public final class Producers implements AutoCloseable {
    private static final int BATCH_EVERY = 10;
    private static final int BATCH_SIZE = 5;
    private static final int KEPT_ERRORS = 20;

    private final MessageQueue queue;
    private final MessageLedger ledger;
    private final Duration pause;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong confirmed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong longestSend = new AtomicLong();
    private final List<RuntimeException> unexpected = Collections.synchronizedList(new ArrayList<>());
    private volatile @Nullable RuntimeException lastFailure;
    private volatile boolean stopped;

    private Producers(MessageQueue queue, MessageLedger ledger, Duration pause) {
        this.queue = queue;
        this.ledger = ledger;
        this.pause = pause;
    }

    /**
     * Starts {@code threads} producers on {@code queue}, pausing {@code pause} after each send; on a
     * FIFO queue each sends to {@code groupsPerThread} groups of its own (at least 1).
     */
    public static Producers start(MessageQueue queue, MessageLedger ledger, int threads, int groupsPerThread, Duration pause) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        boolean fifo = queue.spec().fifo();
        if (fifo && groupsPerThread < 1) {
            throw new IllegalArgumentException("groupsPerThread must be at least 1 on a FIFO queue: " + groupsPerThread);
        }
        Producers p = new Producers(queue, ledger, pause);
        for (int t = 0; t < threads; t++) {
            List<@Nullable String> groups = new ArrayList<>();
            for (int g = 0; g < (fifo ? groupsPerThread : 1); g++) {
                groups.add(fifo ? "p" + t + "g" + g : null);
            }
            Thread thread = new Thread(() -> p.run(groups), "producer-" + queue.name() + "-" + t);
            thread.setDaemon(true);
            p.threads.add(thread);
        }
        p.threads.forEach(Thread::start);
        return p;
    }

    private void run(List<@Nullable String> groups) {
        for (long n = 0; !stopped; n++) {
            String group = groups.get((int) (n % groups.size()));
            int size = n % BATCH_EVERY == BATCH_EVERY - 1 ? BATCH_SIZE : 1;
            List<String> bodies = new ArrayList<>(size);
            List<OutgoingMessage> messages = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                String body = ledger.newBody(group);
                bodies.add(body);
                messages.add(group == null ? OutgoingMessage.of(body)
                        : OutgoingMessage.builder(body).groupId(group).deduplicationId(body).build());
            }
            long t0 = System.nanoTime();
            try {
                if (size == 1) {
                    queue.send(messages.get(0));
                    sent(bodies.get(0));
                } else {
                    BatchResult<SendResult> result = queue.sendBatch(messages);
                    for (int i = 0; i < size; i++) {
                        if (result.get(i) instanceof BatchResult.Failure<SendResult> f) {
                            failed(bodies.get(i), f.error());
                        } else {
                            sent(bodies.get(i));
                        }
                    }
                }
            } catch (RuntimeException e) {
                for (String body : bodies) {
                    failed(body, e);
                }
            }
            longestSend.accumulateAndGet(System.nanoTime() - t0, Math::max);
            LockSupport.parkNanos(pause.toNanos());
        }
    }

    private void sent(String body) {
        ledger.sent(body);
        confirmed.incrementAndGet();
    }

    private void failed(String body, RuntimeException e) {
        ledger.uncertain(body);
        failed.incrementAndGet();
        lastFailure = e;
        boolean clear = e instanceof MessageQueueException mqe && queue.name().equals(mqe.queue());
        if (!clear && unexpected.size() < KEPT_ERRORS) {
            unexpected.add(e);
        }
    }

    /** The sends confirmed so far. */
    public long confirmed() {
        return confirmed.get();
    }

    /** The sends that failed so far (each message of a failed batch counts). */
    public long failed() {
        return failed.get();
    }

    /** The longest a send (or batch send) has taken so far, whether it succeeded or failed. */
    public Duration longestSend() {
        return Duration.ofNanos(longestSend.get());
    }

    /** The last failure, or {@code null}. */
    public @Nullable RuntimeException lastFailure() {
        return lastFailure;
    }

    /** Failures that were not a {@link MessageQueueException} naming the queue (the first 20). */
    public List<RuntimeException> unexpectedErrors() {
        synchronized (unexpected) {
            return List.copyOf(unexpected);
        }
    }

    /** Stops sending and waits for each thread's send in progress to end (up to a minute each). */
    @Override
    public void close() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
