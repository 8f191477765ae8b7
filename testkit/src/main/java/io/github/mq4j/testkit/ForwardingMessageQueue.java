package io.github.mq4j.testkit;

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

/**
 * A {@link MessageQueue} that forwards every call to another one; a subclass overrides the calls
 * it observes or changes (the suite's self-test breaks a backend this way, a benchmark counts
 * deletes).
 */
public class ForwardingMessageQueue implements MessageQueue {
    /** The queue every call goes to. */
    protected final MessageQueue delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingMessageQueue(MessageQueue delegate) {
        this.delegate = delegate;
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
    }

    @Override
    public BatchResult<String> deleteBatch(List<String> receipts) {
        return delegate.deleteBatch(receipts);
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
