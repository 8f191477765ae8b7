package io.github.mq4j.examples.bench;

import io.github.mq4j.BatchResult;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.testkit.ForwardingMessageQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link MessageQueue} that passes every call to the real one and counts the messages deleted,
 * so that a benchmark knows the moment its last message is gone without polling {@code stats()};
 * its receives wait until it is {@link #open() opened}, so that a consumer's threads can be
 * started before the timing starts. Thread-safe.
 */
final class CountingQueue extends ForwardingMessageQueue {
    private final AtomicLong deleted = new AtomicLong();
    private final long target;
    private final CountDownLatch done = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);

    /** Counts towards {@code target} deletes. */
    CountingQueue(MessageQueue delegate, long target) {
        super(delegate);
        this.target = target;
    }

    /** Lets receives through from now on. */
    void open() {
        opened.countDown();
    }

    @Override
    public List<ReceivedMessage> receive(ReceiveRequest request) {
        try {
            opened.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        return delegate.receive(request);
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
}
