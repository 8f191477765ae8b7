package io.github.mq4j.worker;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.StaleReceiptException;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * What a {@link MessageHandler} can learn and do about the message it is handling. Valid only
 * while the handler runs. Thread-safe; a handler may pass it to threads of its own while it runs.
 */
public interface MessageContext {

    /** The queue the message was received from. */
    MessageQueue queue();

    /** The name of the worker running the handler. */
    String workerName();

    /** How many times the message has been received, this receive included (1 the first time). */
    int receiveCount();

    /**
     * The queue's max receive count: after that many receives a failed message goes to the
     * dead-letter queue. Empty when the queue has no dead-letter queue.
     */
    OptionalInt maxReceiveCount();

    /** Whether this is the last attempt: a failure now sends the message to the dead-letter queue. */
    default boolean isLastAttempt() {
        OptionalInt max = maxReceiveCount();
        return max.isPresent() && receiveCount() >= max.getAsInt();
    }

    /**
     * Hides the message for {@code timeout} from now, at once. The worker already extends the
     * visibility of a running handler's message by itself (each time half of its visibility
     * timeout has passed); call this for a longer step, e.g. before a call known to take an hour.
     * Later automatic extensions use {@code timeout} as their step.
     *
     * @param timeout 1 s to 12 h, in whole seconds
     * @throws io.github.mq4j.ValidationException if {@code timeout} is out of range or not whole seconds
     * @throws StaleReceiptException if the message was lost to another consumer (its visibility
     *     timeout passed and it was received again)
     * @throws IllegalStateException if the handler has already returned
     */
    void extendVisibility(Duration timeout);

    /**
     * Rejects the message as poison: when the handler returns (or throws), the message is moved to
     * the queue's dead-letter queue at once, without further retries. On a queue without a
     * dead-letter queue the message is retried as after a failure, and the rejection is logged.
     *
     * @param reason why, for the log
     */
    void rejectAsPoison(String reason);

    /**
     * Whether the worker is shutting down. A long-running handler may check this and stop early
     * by throwing (its message is then retried later) or returning.
     */
    boolean isStopping();
}
