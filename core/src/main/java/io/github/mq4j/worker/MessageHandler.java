package io.github.mq4j.worker;

import io.github.mq4j.ReceivedMessage;

/**
 * Handles one message. Registered per queue with {@link Worker.Builder#subscribe}.
 *
 * <p>When {@link #handle} returns, the worker deletes the message (acknowledge after
 * completion). When it throws, the message is left for redelivery after the subscription's
 * {@link BackoffPolicy}; after the queue's max receive count the queue's dead-letter rule moves
 * it to the dead-letter queue. To send a message that no retry will fix straight to the
 * dead-letter queue, call {@link MessageContext#rejectAsPoison(String)} or throw
 * {@link PoisonMessageException}.
 *
 * <pre>{@code
 * MessageHandler handler = (message, context) -> {
 *     Job job = Job.parse(message.body());          // may throw: the message is retried
 *     if (!job.isValid()) {
 *         context.rejectAsPoison("invalid job");    // straight to the dead-letter queue
 *         return;
 *     }
 *     job.run();
 * };
 * }</pre>
 *
 * <p>Delivery is at-least-once: a handler may see a message again (after a failure, or when its
 * worker lost it), so handlers should be idempotent. A handler is called from several threads at
 * once, up to its subscription's concurrency, and must be thread-safe.
 */
@FunctionalInterface
public interface MessageHandler {

    /**
     * Handles {@code message}.
     *
     * @param message the message as received
     * @param context the message's context: its queue and receive count, visibility extension,
     *     rejection as poison
     * @throws Exception to have the message retried after a backoff
     */
    void handle(ReceivedMessage message, MessageContext context) throws Exception;
}
