package io.github.mq4j;

import java.time.Duration;
import java.util.List;

/**
 * One logical queue of a {@link QueueClient}: send, receive, delete, change visibility, and the
 * operations on the queue as a whole. Obtained from {@link QueueClient#queue(String)}.
 *
 * <p>Every argument is validated against {@link Limits} before any I/O; a violation throws
 * {@link ValidationException} and nothing is sent or changed. Backend failures throw a
 * {@link MessageQueueException}. After the client is closed every method throws
 * {@link IllegalStateException}.
 *
 * <p>Semantics (the same on every backend): delivery is at-least-once; a received message is
 * hidden for its visibility timeout and delivered again, its receive count one higher, if it is
 * not deleted by then; only the latest receipt of a message deletes or changes it; on FIFO
 * queues, messages of one group are delivered in the order sent and none while an earlier one
 * of the group is in flight.
 *
 * <p>Thread-safe: share one instance across threads.
 */
public interface MessageQueue {

    /** The queue's name. */
    String name();

    /** The queue's specification. */
    QueueSpec spec();

    /**
     * Sends a message with this body and nothing else.
     *
     * @return the message id
     * @throws ValidationException if the body breaks a limit, or the queue is FIFO (which needs a group id)
     */
    default SendResult send(String body) {
        return send(OutgoingMessage.of(body));
    }

    /**
     * Sends one message.
     *
     * @return the message id; for a FIFO message whose deduplication id was seen in the last
     *     5 minutes, the id of the first message sent with it (nothing new is enqueued)
     * @throws ValidationException if the message breaks a limit or a FIFO rule
     */
    SendResult send(OutgoingMessage message);

    /**
     * Sends several messages, with one outcome per message in {@code messages}' order. An entry
     * that breaks a limit fails alone, with a {@link ValidationException}; the others are sent.
     * The batch is not atomic. Backends split large batches into requests as they need to.
     *
     * @throws ValidationException if {@code messages} is empty
     */
    BatchResult<SendResult> sendBatch(List<OutgoingMessage> messages);

    /**
     * Receives up to {@link ReceiveRequest#maxMessages()} messages, waiting up to its wait time
     * for the first one to arrive, and hides them for its visibility timeout. Returns as soon as
     * a message is available, not at the end of a polling interval; returns an empty list when
     * the wait ends with none.
     *
     * @throws ValidationException if the request breaks a limit
     */
    List<ReceivedMessage> receive(ReceiveRequest request);

    /** Receives at most one message, with the queue's wait time and visibility timeout. */
    default List<ReceivedMessage> receive() {
        return receive(ReceiveRequest.defaults());
    }

    /**
     * Deletes the message of this receipt. Deleting with a receipt that is no longer current
     * (the message was received again since, or is gone already) does nothing.
     *
     * @throws ValidationException if the receipt is malformed or belongs to another queue or backend
     */
    void delete(String receipt);

    /** Deletes a received message: {@code delete(message.receipt())}. */
    default void delete(ReceivedMessage message) {
        delete(message.receipt());
    }

    /** Deletes several messages, with one outcome per receipt, in order. */
    BatchResult<String> deleteBatch(List<String> receipts);

    /**
     * Hides the message of this receipt for {@code timeout} from now; 0 makes it visible at once.
     *
     * @throws ValidationException if the timeout is not 0 to 12 h in whole seconds or the receipt is malformed
     * @throws StaleReceiptException if the receipt is no longer current
     */
    void changeVisibility(String receipt, Duration timeout);

    /** {@code changeVisibility(message.receipt(), timeout)}. */
    default void changeVisibility(ReceivedMessage message, Duration timeout) {
        changeVisibility(message.receipt(), timeout);
    }

    /** Changes the visibility of several messages, with one outcome per entry, in order. */
    BatchResult<String> changeVisibilityBatch(List<VisibilityChange> changes);

    /**
     * Moves a received message to the queue's dead-letter queue now, without waiting for its
     * max receive count: for a poison message that no retry will fix. The message keeps its body,
     * attributes and group id, and records this queue as its dead-letter source.
     *
     * @throws ValidationException if this queue has no dead-letter policy
     * @throws StaleReceiptException if the message's receipt is no longer current
     */
    void moveToDeadLetter(ReceivedMessage message);

    /** Approximate counts of the queue's messages. */
    QueueStats stats();

    /** Deletes every message in the queue, visible, in flight or delayed. */
    void purge();

    /**
     * Moves the messages of this dead-letter queue back to the queues they came from, or to the
     * request's destination, optionally at a limited rate. Returns when the move is done.
     * Messages in flight in this queue are not moved. Moved messages keep their body,
     * attributes and group id, and start again with a receive count of 0.
     *
     * @throws ValidationException if this queue is no queue's dead-letter queue, or the
     *     destination is unknown or of the other type (FIFO vs standard)
     */
    RedriveResult redrive(RedriveRequest request);
}
