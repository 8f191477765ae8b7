package io.github.mq4j.examples.bench;

import io.github.mq4j.BatchResult;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.RedriveResult;
import io.github.mq4j.SendResult;
import io.github.mq4j.VisibilityChange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link MessageQueue} that passes every call to the real one and counts the messages deleted,
 * so that a benchmark knows the moment its last message is gone without polling {@code stats()}.
 * Thread-safe.
 */
final class CountingQueue implements MessageQueue {
    private final MessageQueue delegate;
    private final AtomicLong deleted = new AtomicLong();
    private final long target;
    private final CountDownLatch done = new CountDownLatch(1);

    /** Counts towards {@code target} deletes. */
    CountingQueue(MessageQueue delegate, long target) {
        this.delegate = delegate;
        this.target = target;
    }

    /** Waits until {@code target} messages were deleted; false if {@code timeout} passed first. */
    boolean awaitDeleted(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void count(long n) {
        if (deleted.addAndGet(n) >= target) {
            done.countDown();
        }
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public QueueSpec spec() {
        return delegate.spec();
    }

    @Override
    public SendResult send(OutgoingMessage message) {
        return delegate.send(message);
    }

    @Override
    public BatchResult<SendResult> sendBatch(List<OutgoingMessage> messages) {
        return delegate.sendBatch(messages);
    }

    @Override
    public List<ReceivedMessage> receive(ReceiveRequest request) {
        return delegate.receive(request);
    }

    @Override
    public void delete(String receipt) {
        delegate.delete(receipt);
        count(1);
    }

    @Override
    public BatchResult<String> deleteBatch(List<String> receipts) {
        BatchResult<String> result = delegate.deleteBatch(receipts);
        count(result.successful().size());
        return result;
    }

    @Override
    public void changeVisibility(String receipt, Duration timeout) {
        delegate.changeVisibility(receipt, timeout);
    }

    @Override
    public BatchResult<String> changeVisibilityBatch(List<VisibilityChange> changes) {
        return delegate.changeVisibilityBatch(changes);
    }

    @Override
    public void moveToDeadLetter(ReceivedMessage message) {
        delegate.moveToDeadLetter(message);
    }

    @Override
    public QueueStats stats() {
        return delegate.stats();
    }

    @Override
    public void purge() {
        delegate.purge();
    }

    @Override
    public RedriveResult redrive(RedriveRequest request) {
        return delegate.redrive(request);
    }
}
