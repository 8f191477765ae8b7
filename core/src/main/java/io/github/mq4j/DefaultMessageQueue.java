package io.github.mq4j;

import io.github.mq4j.spi.QueueBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** Validates every call against the queue's spec, then hands it to the backend. */
final class DefaultMessageQueue implements MessageQueue {
    private final DefaultQueueClient client;
    private final QueueSpec spec;
    private final QueueBackend backend;

    DefaultMessageQueue(DefaultQueueClient client, QueueSpec spec, QueueBackend backend) {
        this.client = client;
        this.spec = spec;
        this.backend = backend;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public QueueSpec spec() {
        return spec;
    }

    @Override
    public SendResult send(OutgoingMessage message) {
        OutgoingMessage valid = Validation.message(spec, message);
        client.ensureOpen();
        return backend.send(spec, List.of(valid)).valueOrThrow(0);
    }

    @Override
    public BatchResult<SendResult> sendBatch(List<OutgoingMessage> messages) {
        return batch("messages", messages, m -> Validation.message(spec, m), valid -> backend.send(spec, valid));
    }

    @Override
    public List<ReceivedMessage> receive(ReceiveRequest request) {
        ReceiveRequest resolved = Validation.receive(spec, request);
        client.ensureOpen();
        return backend.receive(spec, resolved);
    }

    @Override
    public void delete(String receipt) {
        Validation.receipt(spec.name(), receipt);
        client.ensureOpen();
        backend.delete(spec, List.of(receipt)).valueOrThrow(0);
    }

    @Override
    public BatchResult<String> deleteBatch(List<String> receipts) {
        return batch("receipts", receipts, r -> Validation.receipt(spec.name(), r), valid -> backend.delete(spec, valid));
    }

    @Override
    public void changeVisibility(String receipt, Duration timeout) {
        String q = spec.name();
        VisibilityChange change = Validation.visibilityChange(q, new VisibilityChange(
                Validation.requireNonNull("receipt", q, receipt), Validation.requireNonNull("timeout", q, timeout)));
        client.ensureOpen();
        backend.changeVisibility(spec, List.of(change)).valueOrThrow(0);
    }

    @Override
    public BatchResult<String> changeVisibilityBatch(List<VisibilityChange> changes) {
        return batch("changes", changes, c -> Validation.visibilityChange(spec.name(), c),
                valid -> backend.changeVisibility(spec, valid));
    }

    @Override
    public void moveToDeadLetter(ReceivedMessage message) {
        Validation.requireNonNull("message", spec.name(), message);
        if (spec.deadLetter() == null) {
            throw new ValidationException("deadLetter", spec.name(), "queue '" + spec.name()
                    + "' has no dead-letter policy (its deadLetter is not set), so there is nowhere to move the message to");
        }
        if (!message.queue().equals(spec.name())) {
            throw new ValidationException("message", spec.name(), "message " + message.messageId() + " was received from queue '"
                    + message.queue() + "', not from '" + spec.name() + "'");
        }
        client.ensureOpen();
        backend.moveToDeadLetter(spec, message);
    }

    @Override
    public QueueStats stats() {
        client.ensureOpen();
        return backend.stats(spec);
    }

    @Override
    public void purge() {
        client.ensureOpen();
        backend.purge(spec);
    }

    @Override
    public RedriveResult redrive(RedriveRequest request) {
        Validation.redrive(client.topology(), spec, request);
        client.ensureOpen();
        return backend.redrive(spec, request);
    }

    /**
     * Validates each entry on its own, hands only the valid ones to the backend, and merges the
     * outcomes back into request order: an invalid entry fails alone.
     */
    private <I, O> BatchResult<O> batch(
            String field, @Nullable List<I> entries, UnaryOperator<I> validate, Function<List<I>, BatchResult<O>> call) {
        Validation.requireNonNull(field, spec.name(), entries);
        if (entries.isEmpty()) {
            throw new ValidationException(field, spec.name(), field + " is empty; a batch needs at least 1 entry");
        }
        client.ensureOpen();
        List<BatchResult.Entry<O>> merged = new ArrayList<>(entries.size());
        List<I> valid = new ArrayList<>(entries.size());
        List<Integer> validIndexes = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            merged.add(null);
            try {
                valid.add(validate.apply(entries.get(i)));
                validIndexes.add(i);
            } catch (ValidationException e) {
                merged.set(i, new BatchResult.Failure<>(i, e));
            }
        }
        if (!valid.isEmpty()) {
            BatchResult<O> result = call.apply(valid);
            for (int j = 0; j < result.size(); j++) {
                int i = validIndexes.get(j);
                BatchResult.Entry<O> e = result.get(j);
                merged.set(i, e instanceof BatchResult.Success<O> s
                        ? new BatchResult.Success<>(i, s.value())
                        : new BatchResult.Failure<>(i, ((BatchResult.Failure<O>) e).error()));
            }
        }
        return new BatchResult<>(merged);
    }

    @Override
    public String toString() {
        return "MessageQueue[" + spec.name() + "]";
    }
}
