package io.github.mq4j.memory;

import io.github.mq4j.BatchResult;
import io.github.mq4j.DeadLetterPolicy;
import io.github.mq4j.DeduplicationScope;
import io.github.mq4j.Limits;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.RedriveResult;
import io.github.mq4j.SendResult;
import io.github.mq4j.StaleReceiptException;
import io.github.mq4j.Topology;
import io.github.mq4j.ValidationException;
import io.github.mq4j.VisibilityChange;
import io.github.mq4j.spi.QueueBackend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory backend: the reference implementation of the semantics contract. All state
 * lives in this object and is guarded by one lock; long-polling receives wait on a condition
 * that every send and visibility change signals, re-checking at least every 100 ms so that
 * visibility expiry and a {@link ManualClock} that moves are noticed. Time comes from the
 * clock given at construction. Thread-safe.
 */
final class MemoryBackend implements QueueBackend {
    private static final Logger log = LoggerFactory.getLogger(MemoryBackend.class);
    private static final String RECEIPT_PREFIX = "mem1";
    private static final long MAX_POLL_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final AtomicLong INSTANCES = new AtomicLong();

    private final Clock clock;
    private final String backendId;
    private final Map<String, QueueState> queues = new LinkedHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean closed;

    MemoryBackend(Topology topology, Clock clock) {
        this.clock = clock;
        this.backendId = Long.toString(INSTANCES.incrementAndGet(), 36) + Long.toString(System.nanoTime() & 0xFFFFFF, 36);
        for (QueueSpec spec : topology.queues()) {
            queues.put(spec.name(), new QueueState(spec));
        }
    }

    /** One message, mutable under the lock. */
    private static final class StoredMessage {
        final String messageId;
        final long sequence;
        final String body;
        final Map<String, String> attributes;
        final @Nullable String groupId;
        final @Nullable String deduplicationId;
        final Instant sentAt;
        final @Nullable String deadLetterSource;
        Instant visibleAt;
        int receiveCount;
        @Nullable Instant firstReceivedAt;
        long receiptToken;

        StoredMessage(String messageId, long sequence, String body, Map<String, String> attributes, @Nullable String groupId,
                @Nullable String deduplicationId, Instant sentAt, Instant visibleAt, @Nullable String deadLetterSource) {
            this.messageId = messageId;
            this.sequence = sequence;
            this.body = body;
            this.attributes = attributes;
            this.groupId = groupId;
            this.deduplicationId = deduplicationId;
            this.sentAt = sentAt;
            this.visibleAt = visibleAt;
            this.deadLetterSource = deadLetterSource;
        }

        boolean inFlight(Instant now) {
            return receiveCount > 0 && visibleAt.isAfter(now);
        }
    }

    private record DedupEntry(String messageId, @Nullable String sequenceNumber, Instant expiresAt) {}

    /** One queue's messages in send order, and its deduplication window. */
    private static final class QueueState {
        final QueueSpec spec;
        final TreeMap<Long, StoredMessage> bySequence = new TreeMap<>();
        final Map<String, StoredMessage> byId = new HashMap<>();
        /** In the order remembered, which is the order of expiry: every id lives the same window. */
        final LinkedHashMap<String, DedupEntry> dedup = new LinkedHashMap<>();
        long nextSequence = 1;
        long nextReceiptToken = 1;
        /**
         * No message was sent before this: until it is past retention, {@link #expire} scans
         * nothing. A lower bound, lowered on every add and made exact by each scan.
         */
        @Nullable Instant oldestSentAt;

        QueueState(QueueSpec spec) {
            this.spec = spec;
        }

        void add(StoredMessage m) {
            bySequence.put(m.sequence, m);
            byId.put(m.messageId, m);
            if (oldestSentAt == null || m.sentAt.isBefore(oldestSentAt)) {
                oldestSentAt = m.sentAt;
            }
        }

        void remember(String dedupKey, DedupEntry entry) {
            dedup.remove(dedupKey); // an expired entry the clock kept: to the end, with the others of its age
            dedup.put(dedupKey, entry);
        }

        void remove(StoredMessage m) {
            bySequence.remove(m.sequence);
            byId.remove(m.messageId);
        }

        /** Deletes messages past the retention period and forgets expired deduplication ids. */
        void expire(Instant now) {
            Instant oldestKept = now.minus(spec.retention());
            if (oldestSentAt != null && !oldestSentAt.isAfter(oldestKept)) {
                oldestSentAt = null;
                for (Iterator<StoredMessage> it = bySequence.values().iterator(); it.hasNext(); ) {
                    StoredMessage m = it.next();
                    if (!m.sentAt.isAfter(oldestKept)) {
                        it.remove();
                        byId.remove(m.messageId);
                    } else if (oldestSentAt == null || m.sentAt.isBefore(oldestSentAt)) {
                        oldestSentAt = m.sentAt;
                    }
                }
            }
            for (Iterator<DedupEntry> it = dedup.values().iterator(); it.hasNext(); ) {
                if (it.next().expiresAt.isAfter(now)) {
                    break; // the rest were remembered later, and expire later
                }
                it.remove();
            }
        }
    }

    @Override
    public BatchResult<SendResult> send(QueueSpec queue, List<OutgoingMessage> messages) {
        List<BatchResult.Entry<SendResult>> results = new ArrayList<>(messages.size());
        lock.lock();
        try {
            QueueState state = state(queue);
            Instant now = clock.instant();
            state.expire(now);
            for (int i = 0; i < messages.size(); i++) {
                results.add(new BatchResult.Success<>(i, sendOne(state, messages.get(i), now)));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return new BatchResult<>(results);
    }

    private SendResult sendOne(QueueState state, OutgoingMessage message, Instant now) {
        QueueSpec spec = state.spec;
        long sequence = state.nextSequence++;
        String sequenceNumber = spec.fifo() ? String.format("%020d", sequence) : null;
        String dedupKey = null;
        if (spec.fifo()) {
            dedupKey = spec.deduplicationScope() == DeduplicationScope.MESSAGE_GROUP
                    ? message.groupId() + "\u0000" + message.deduplicationId()
                    : message.deduplicationId();
            DedupEntry seen = state.dedup.get(dedupKey);
            if (seen != null && seen.expiresAt().isAfter(now)) {
                return new SendResult(seen.messageId(), seen.sequenceNumber());
            }
        }
        Duration delay = message.delay() != null ? message.delay() : spec.delay();
        String messageId = UUID.randomUUID().toString();
        state.add(new StoredMessage(messageId, sequence, message.body(), message.attributes(), message.groupId(),
                message.deduplicationId(), now, now.plus(delay), null));
        if (dedupKey != null) {
            state.remember(dedupKey, new DedupEntry(messageId, sequenceNumber, now.plus(Limits.DEDUPLICATION_WINDOW)));
        }
        return new SendResult(messageId, sequenceNumber);
    }

    @Override
    public List<ReceivedMessage> receive(QueueSpec queue, ReceiveRequest request) {
        Duration wait = request.waitTime();
        long deadline = System.nanoTime() + (wait == null ? 0 : wait.toNanos());
        lock.lock();
        try {
            QueueState state = state(queue);
            while (true) {
                if (closed) {
                    return List.of();
                }
                List<ReceivedMessage> received = receiveNow(state, request);
                long remaining = deadline - System.nanoTime();
                if (!received.isEmpty() || remaining <= 0) {
                    return received;
                }
                changed.awaitNanos(Math.min(remaining, MAX_POLL_SLICE_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            lock.unlock();
        }
    }

    private List<ReceivedMessage> receiveNow(QueueState state, ReceiveRequest request) {
        QueueSpec spec = state.spec;
        Instant now = clock.instant();
        state.expire(now);
        Duration visibility = request.visibilityTimeout() == null ? spec.visibilityTimeout() : request.visibilityTimeout();
        DeadLetterPolicy deadLetter = spec.deadLetter();
        List<ReceivedMessage> out = new ArrayList<>();
        Set<String> blockedGroups = spec.fifo() ? new HashSet<>() : Set.of();
        List<StoredMessage> toDeadLetter = new ArrayList<>();
        for (StoredMessage m : state.bySequence.values()) {
            if (out.size() >= request.maxMessages()) {
                break;
            }
            if (spec.fifo() && blockedGroups.contains(m.groupId)) {
                continue;
            }
            if (m.visibleAt.isAfter(now)) {
                if (spec.fifo()) {
                    blockedGroups.add(m.groupId);
                }
                continue;
            }
            if (deadLetter != null && m.receiveCount >= deadLetter.maxReceiveCount()) {
                toDeadLetter.add(m);
                continue;
            }
            m.receiveCount++;
            if (m.firstReceivedAt == null) {
                m.firstReceivedAt = now;
            }
            m.visibleAt = now.plus(visibility);
            m.receiptToken = state.nextReceiptToken++;
            out.add(toReceived(spec, m));
        }
        for (StoredMessage m : toDeadLetter) {
            moveToDeadLetterQueue(state, m, now);
        }
        return out;
    }

    private ReceivedMessage toReceived(QueueSpec spec, StoredMessage m) {
        String receipt = RECEIPT_PREFIX + ":" + backendId + ":" + spec.name() + ":" + m.messageId + ":" + m.receiptToken;
        return new ReceivedMessage(spec.name(), m.messageId, receipt, m.body, m.attributes, m.groupId, m.deduplicationId,
                spec.fifo() ? String.format("%020d", m.sequence) : null, m.receiveCount, m.sentAt,
                m.firstReceivedAt == null ? m.sentAt : m.firstReceivedAt, m.deadLetterSource);
    }

    /** Moves a message to its queue's dead-letter queue, keeping id, body, attributes, group and send time. */
    private void moveToDeadLetterQueue(QueueState source, StoredMessage m, Instant now) {
        DeadLetterPolicy policy = source.spec.deadLetter();
        if (policy == null) {
            throw new IllegalStateException("queue '" + source.spec.name() + "' has no dead-letter policy");
        }
        QueueState target = queues.get(policy.targetQueue());
        source.remove(m);
        target.add(new StoredMessage(m.messageId, target.nextSequence++, m.body, m.attributes, m.groupId, m.deduplicationId,
                m.sentAt, now, source.spec.name()));
        log.debug("mq4j memory: message {} moved from queue '{}' to dead-letter queue '{}' after {} receives",
                m.messageId, source.spec.name(), target.spec.name(), m.receiveCount);
        changed.signalAll();
    }

    @Override
    public BatchResult<String> delete(QueueSpec queue, List<String> receipts) {
        List<BatchResult.Entry<String>> results = new ArrayList<>(receipts.size());
        lock.lock();
        try {
            QueueState state = state(queue);
            for (int i = 0; i < receipts.size(); i++) {
                String receipt = receipts.get(i);
                try {
                    StoredMessage m = current(state, receipt);
                    if (m != null) {
                        state.remove(m);
                    }
                    results.add(new BatchResult.Success<>(i, receipt));
                } catch (ValidationException e) {
                    results.add(new BatchResult.Failure<>(i, e));
                }
            }
        } finally {
            lock.unlock();
        }
        return new BatchResult<>(results);
    }

    @Override
    public BatchResult<String> changeVisibility(QueueSpec queue, List<VisibilityChange> changes) {
        List<BatchResult.Entry<String>> results = new ArrayList<>(changes.size());
        lock.lock();
        try {
            QueueState state = state(queue);
            Instant now = clock.instant();
            for (int i = 0; i < changes.size(); i++) {
                VisibilityChange change = changes.get(i);
                try {
                    StoredMessage m = current(state, change.receipt());
                    if (m == null || !m.inFlight(now)) {
                        throw new StaleReceiptException(queue.name(), m == null ? messageIdOf(change.receipt()) : m.messageId);
                    }
                    m.visibleAt = now.plus(change.timeout());
                    results.add(new BatchResult.Success<>(i, change.receipt()));
                } catch (ValidationException | StaleReceiptException e) {
                    results.add(new BatchResult.Failure<>(i, e));
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return new BatchResult<>(results);
    }

    @Override
    public void moveToDeadLetter(QueueSpec queue, ReceivedMessage message) {
        lock.lock();
        try {
            QueueState state = state(queue);
            StoredMessage m = current(state, message.receipt());
            if (m == null) {
                throw new StaleReceiptException(queue.name(), message.messageId());
            }
            moveToDeadLetterQueue(state, m, clock.instant());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The message whose current receipt this is, or null if the receipt is no longer current.
     *
     * @throws ValidationException if this backend did not issue the receipt for this queue
     */
    private @Nullable StoredMessage current(QueueState state, String receipt) {
        String[] parts = receipt.split(":", -1);
        String queue = state.spec.name();
        if (parts.length != 5 || !parts[0].equals(RECEIPT_PREFIX)) {
            throw new ValidationException("receipt", queue, "receipt is not one that a memory backend issued");
        }
        if (!parts[1].equals(backendId)) {
            throw new ValidationException("receipt", queue, "receipt was issued by another memory backend, not this client's");
        }
        if (!parts[2].equals(queue)) {
            // names the other queue only if it is one: a made-up receipt's text is not repeated
            throw new ValidationException("receipt", queue, queues.containsKey(parts[2])
                    ? "receipt belongs to queue '" + parts[2] + "', not '" + queue + "'"
                    : "receipt is not one that this memory backend issued for queue '" + queue + "'");
        }
        long token;
        try {
            token = Long.parseLong(parts[4]);
        } catch (NumberFormatException e) {
            throw new ValidationException("receipt", queue, "receipt is malformed");
        }
        StoredMessage m = state.byId.get(parts[3]);
        return m != null && m.receiptToken == token && m.receiveCount > 0 ? m : null;
    }

    private static @Nullable String messageIdOf(String receipt) {
        String[] parts = receipt.split(":", -1);
        return parts.length == 5 ? parts[3] : null;
    }

    @Override
    public QueueStats stats(QueueSpec queue) {
        lock.lock();
        try {
            QueueState state = state(queue);
            Instant now = clock.instant();
            state.expire(now);
            long visible = 0;
            long inFlight = 0;
            long delayed = 0;
            Instant oldest = null;
            for (StoredMessage m : state.bySequence.values()) {
                if (!m.visibleAt.isAfter(now)) {
                    visible++;
                } else if (m.receiveCount > 0) {
                    inFlight++;
                } else {
                    delayed++;
                }
                if (oldest == null || m.sentAt.isBefore(oldest)) {
                    oldest = m.sentAt;
                }
            }
            return new QueueStats(queue.name(), visible, inFlight, delayed, oldest == null ? null : Duration.between(oldest, now));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void purge(QueueSpec queue) {
        lock.lock();
        try {
            QueueState state = state(queue);
            state.bySequence.clear();
            state.byId.clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public RedriveResult redrive(QueueSpec deadLetterQueue, RedriveRequest request) {
        List<String> ids = new ArrayList<>();
        lock.lock();
        try {
            QueueState state = state(deadLetterQueue);
            Instant now = clock.instant();
            state.expire(now);
            for (StoredMessage m : state.bySequence.values()) {
                if (!m.visibleAt.isAfter(now)) {
                    ids.add(m.messageId);
                }
            }
        } finally {
            lock.unlock();
        }
        Integer rate = request.maxMessagesPerSecond();
        long start = System.nanoTime();
        long moved = 0;
        for (String id : ids) {
            if (rate != null && !pauseUntil(start + moved * TimeUnit.SECONDS.toNanos(1) / rate)) {
                break;
            }
            if (redriveOne(deadLetterQueue, id, request.destination())) {
                moved++;
            }
        }
        log.info("mq4j memory: redrove {} of {} messages out of queue '{}'", moved, ids.size(), deadLetterQueue.name());
        return new RedriveResult(moved);
    }

    private boolean redriveOne(QueueSpec deadLetterQueue, String messageId, @Nullable String destination) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            QueueState source = state(deadLetterQueue);
            StoredMessage m = source.byId.get(messageId);
            Instant now = clock.instant();
            String targetName = destination != null ? destination : m == null ? null : m.deadLetterSource;
            QueueState target = targetName == null ? null : queues.get(targetName);
            if (m == null || m.visibleAt.isAfter(now) || target == null) {
                return false;
            }
            source.remove(m);
            target.add(new StoredMessage(m.messageId, target.nextSequence++, m.body, m.attributes, m.groupId,
                    m.deduplicationId, now, now, null));
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Sleeps until {@code nanoTime}; false if interrupted, which ends a redrive early. */
    private static boolean pauseUntil(long nanoTime) {
        long remaining = nanoTime - System.nanoTime();
        if (remaining > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private QueueState state(QueueSpec queue) {
        QueueState state = queues.get(queue.name());
        if (state == null) {
            throw new IllegalArgumentException("queue '" + queue.name() + "' is not in this backend's topology");
        }
        return state;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
