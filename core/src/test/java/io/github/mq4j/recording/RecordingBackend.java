package io.github.mq4j.recording;

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
import io.github.mq4j.spi.QueueBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend that stores nothing: it logs each call in its {@link BackendCalls} and answers with
 * simple values (message ids {@code m-1}, {@code m-2}, ...; receipts echoed back; no messages to
 * receive; zero stats). Thread-safe.
 */
final class RecordingBackend implements QueueBackend {
    private final BackendCalls calls;
    private final AtomicLong ids = new AtomicLong();

    RecordingBackend(BackendCalls calls) {
        this.calls = calls;
    }

    @Override
    public BatchResult<SendResult> send(QueueSpec queue, List<OutgoingMessage> messages) {
        calls.record("send", queue.name(), List.copyOf(messages));
        List<BatchResult.Entry<SendResult>> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            long id = ids.incrementAndGet();
            entries.add(new BatchResult.Success<>(i, new SendResult("m-" + id, queue.fifo() ? Long.toString(id) : null)));
        }
        return new BatchResult<>(entries);
    }

    @Override
    public List<ReceivedMessage> receive(QueueSpec queue, ReceiveRequest request) {
        calls.record("receive", queue.name(), request);
        return List.of();
    }

    @Override
    public BatchResult<String> delete(QueueSpec queue, List<String> receipts) {
        calls.record("delete", queue.name(), List.copyOf(receipts));
        List<BatchResult.Entry<String>> entries = new ArrayList<>();
        for (int i = 0; i < receipts.size(); i++) {
            entries.add(new BatchResult.Success<>(i, receipts.get(i)));
        }
        return new BatchResult<>(entries);
    }

    @Override
    public BatchResult<String> changeVisibility(QueueSpec queue, List<VisibilityChange> changes) {
        calls.record("changeVisibility", queue.name(), List.copyOf(changes));
        List<BatchResult.Entry<String>> entries = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            entries.add(new BatchResult.Success<>(i, changes.get(i).receipt()));
        }
        return new BatchResult<>(entries);
    }

    @Override
    public void moveToDeadLetter(QueueSpec queue, ReceivedMessage message) {
        calls.record("moveToDeadLetter", queue.name(), message);
    }

    @Override
    public QueueStats stats(QueueSpec queue) {
        calls.record("stats", queue.name(), null);
        return new QueueStats(queue.name(), 0, 0, 0, null);
    }

    @Override
    public void purge(QueueSpec queue) {
        calls.record("purge", queue.name(), null);
    }

    @Override
    public RedriveResult redrive(QueueSpec deadLetterQueue, RedriveRequest request) {
        calls.record("redrive", deadLetterQueue.name(), request);
        return new RedriveResult(0);
    }

    @Override
    public void close() {
        calls.record("close", null, null);
    }
}
