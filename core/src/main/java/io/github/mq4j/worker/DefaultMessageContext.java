package io.github.mq4j.worker;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.StaleReceiptException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/** The context of one handler run. */
final class DefaultMessageContext implements MessageContext {
    private final Subscription subscription;
    private final Held held;
    private volatile @Nullable String rejection;
    private volatile boolean returned;

    DefaultMessageContext(Subscription subscription, Held held) {
        this.subscription = subscription;
        this.held = held;
    }

    @Override
    public MessageQueue queue() {
        return subscription.queue;
    }

    @Override
    public String workerName() {
        return subscription.worker.name;
    }

    @Override
    public int receiveCount() {
        return held.message.receiveCount();
    }

    @Override
    public OptionalInt maxReceiveCount() {
        return subscription.deadLetter == null ? OptionalInt.empty() : OptionalInt.of(subscription.deadLetter.maxReceiveCount());
    }

    @Override
    public void extendVisibility(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        SubscriptionOptions.validateVisibility(timeout);
        if (returned || !held.beginExtension()) {
            throw new IllegalStateException("the handler of message " + held.message.messageId() + " on queue '"
                    + subscription.name + "' has returned; its context is no longer valid");
        }
        try {
            try {
                subscription.queue.changeVisibility(held.message.receipt(), timeout);
            } catch (StaleReceiptException e) {
                held.heartbeatStopped = true;
                throw e;
            }
            held.lastExtendedAt = subscription.worker.clock.instant();
            held.visibility = timeout;
        } finally {
            held.endExtension();
        }
        subscription.worker.listener.onVisibilityExtended(held.message, timeout);
    }

    @Override
    public void rejectAsPoison(String reason) {
        this.rejection = Objects.requireNonNull(reason, "reason");
    }

    @Override
    public boolean isStopping() {
        return subscription.worker.isStopping();
    }

    @Nullable String rejection() {
        return rejection;
    }

    void handlerReturned() {
        returned = true;
    }

    @Override
    public String toString() {
        return "MessageContext[worker=" + subscription.worker.name + ", queue=" + subscription.name
                + ", messageId=" + held.message.messageId() + ", receiveCount=" + held.message.receiveCount() + "]";
    }
}
