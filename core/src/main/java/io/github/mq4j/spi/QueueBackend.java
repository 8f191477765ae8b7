package io.github.mq4j.spi;

import io.github.mq4j.BatchResult;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.RedriveResult;
import io.github.mq4j.SendResult;
import io.github.mq4j.VisibilityChange;
import java.util.List;

/**
 * A backend serving the queues of one topology. Every method receives validated input (see the
 * package documentation) and the {@link QueueSpec} of the queue it addresses. Implementations
 * must be thread-safe; {@link #close()} is called once.
 *
 * <p>The contract each method must keep is the one documented on
 * {@link io.github.mq4j.MessageQueue}; the conformance suite in {@code mq4j-testkit} checks it.
 */
public interface QueueBackend extends AutoCloseable {

    /**
     * Sends messages. On FIFO queues every message has a group id and a deduplication id (core
     * fills in the content hash where the queue deduplicates on content) and no delay; on
     * standard queues none has a group or deduplication id, and a {@code null} delay means the
     * queue's. Returns one outcome per message, in order.
     */
    BatchResult<SendResult> send(QueueSpec queue, List<OutgoingMessage> messages);

    /**
     * Receives messages. The request is resolved: its wait time and visibility timeout are never
     * {@code null}. Moves messages past their queue's max receive count to the dead-letter queue
     * instead of returning them.
     */
    List<ReceivedMessage> receive(QueueSpec queue, ReceiveRequest request);

    /**
     * Deletes messages by receipt; a receipt that is not current succeeds and does nothing. A
     * receipt this backend did not issue for this queue fails its entry with a
     * {@link io.github.mq4j.ValidationException} for field {@code receipt}. Success values are the receipts.
     */
    BatchResult<String> delete(QueueSpec queue, List<String> receipts);

    /**
     * Changes visibility by receipt. A receipt that is not current fails its entry with a
     * {@link io.github.mq4j.StaleReceiptException}; one this backend did not issue for this queue
     * with a {@link io.github.mq4j.ValidationException}. Success values are the receipts.
     */
    BatchResult<String> changeVisibility(QueueSpec queue, List<VisibilityChange> changes);

    /**
     * Moves a received message to the queue's dead-letter queue (the queue has one; core checked)
     * if its receipt is current, keeping body, attributes and group id and recording the source
     * queue; throws {@link io.github.mq4j.StaleReceiptException} if the receipt is not current.
     */
    void moveToDeadLetter(QueueSpec queue, ReceivedMessage message);

    /** Approximate counts of the queue's messages. */
    QueueStats stats(QueueSpec queue);

    /** Deletes every message of the queue. */
    void purge(QueueSpec queue);

    /**
     * Moves the visible messages of a dead-letter queue to their source queues, or to the
     * request's destination (already checked to exist and to be of the same type).
     */
    RedriveResult redrive(QueueSpec deadLetterQueue, RedriveRequest request);

    /** Releases what the backend created; never what the application handed in. */
    @Override
    void close();
}
