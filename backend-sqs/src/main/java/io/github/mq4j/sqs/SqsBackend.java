package io.github.mq4j.sqs;

import io.github.mq4j.BackendException;
import io.github.mq4j.BatchResult;
import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueueException;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.RedriveResult;
import io.github.mq4j.SendResult;
import io.github.mq4j.StaleReceiptException;
import io.github.mq4j.Topology;
import io.github.mq4j.ValidationException;
import io.github.mq4j.VisibilityChange;
import io.github.mq4j.spi.QueueBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * The SQS backend: every queue of the topology is one SQS queue, reached through one client.
 * Dead-lettering after {@code maxReceiveCount} receives is SQS's own redrive policy (see
 * {@link SqsProvisioner}). Thread-safe.
 */
final class SqsBackend implements QueueBackend {
    private static final Logger log = LoggerFactory.getLogger(SqsBackend.class);

    /** The most entries SQS takes in one batch request. */
    static final int MAX_BATCH_ENTRIES = 10;
    /**
     * The most payload bytes mq4j puts in one batch request: 256 KiB, SQS's long-standing batch
     * limit. A larger message is sent alone with SendMessage.
     */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    /** Partial batches in flight per queue before the automatic batcher makes callers wait and gather. */
    static final int PARTIAL_BATCHES_IN_FLIGHT = 1;
    private static final String SEPARATOR = "~";
    private static final String STRING = "String";
    private static final Duration MOVE_HOLD = Duration.ofMinutes(5);
    private static final Duration TASK_POLL = Duration.ofMillis(200);

    private final Topology topology;
    private final SqsCalls sqs;
    private final @Nullable SqsClient owned;
    private final boolean autoBatch;
    private final Map<String, Queue> queues = new HashMap<>();
    private final Map<String, String> logicalByPhysical = new HashMap<>();
    private final Map<String, String> arns = new ConcurrentHashMap<>();
    /**
     * When the visibility timeout of each receipt handle this backend handed out runs out
     * ({@link System#nanoTime()}), so that a visibility change after it is refused as stale even on
     * servers that accept it (ElasticMQ). Measured from when the receive returned, so it never
     * ends before SQS's own; entries go on delete and are swept once long expired.
     */
    private final Map<String, Long> inFlightUntil = new ConcurrentHashMap<>();
    private static final int SWEEP_THRESHOLD = 10_000;
    private static final long SWEEP_AFTER_NANOS = TimeUnit.MINUTES.toNanos(5);

    /** One SQS queue and its batchers. */
    private final class Queue {
        final QueueSpec spec;
        final String url;
        final AutoBatcher<OutgoingMessage, SendResult> sends;
        final AutoBatcher<String, String> deletes;

        Queue(QueueSpec spec, String url) {
            this.spec = spec;
            this.url = url;
            this.sends = new AutoBatcher<>(MAX_BATCH_ENTRIES, MAX_BATCH_BYTES, PARTIAL_BATCHES_IN_FLIGHT,
                    SqsBackend::size, batch -> sendBatch(this, batch));
            this.deletes = new AutoBatcher<>(MAX_BATCH_ENTRIES, Integer.MAX_VALUE, PARTIAL_BATCHES_IN_FLIGHT,
                    h -> 1, batch -> deleteHandles(this, batch));
        }
    }

    SqsBackend(Topology topology, SqsCalls sqs, @Nullable SqsClient owned, Map<String, String> urls, boolean autoBatch) {
        this.topology = topology;
        this.sqs = sqs;
        this.owned = owned;
        this.autoBatch = autoBatch;
        for (QueueSpec spec : topology.queues()) {
            String url = urls.get(spec.name());
            queues.put(spec.name(), new Queue(spec, url));
            logicalByPhysical.put(url.substring(url.lastIndexOf('/') + 1), spec.name());
        }
    }

    private Queue queue(QueueSpec spec) {
        return queues.get(spec.name());
    }

    // ---------------------------------------------------------------- send

    @Override
    public BatchResult<SendResult> send(QueueSpec spec, List<OutgoingMessage> messages) {
        Queue q = queue(spec);
        if (messages.size() == 1) {
            OutgoingMessage only = messages.get(0);
            return new BatchResult<>(List.of(autoBatch && size(only) <= MAX_BATCH_BYTES
                    ? reindex(q.sends.submit(only), 0) : sendOne(q, only)));
        }
        List<BatchResult.Entry<SendResult>> out = new ArrayList<>(messages.size());
        List<OutgoingMessage> chunk = new ArrayList<>(MAX_BATCH_ENTRIES);
        int chunkStart = 0;
        int chunkBytes = 0;
        for (int i = 0; i < messages.size(); i++) {
            OutgoingMessage m = messages.get(i);
            int bytes = size(m);
            if (!chunk.isEmpty() && (chunk.size() == MAX_BATCH_ENTRIES || chunkBytes + bytes > MAX_BATCH_BYTES)) {
                addAll(out, sendBatch(q, chunk), chunkStart);
                chunk = new ArrayList<>(MAX_BATCH_ENTRIES);
                chunkBytes = 0;
            }
            if (bytes > MAX_BATCH_BYTES) {
                addAll(out, sendBatch(q, chunk), chunkStart);
                chunk = new ArrayList<>(MAX_BATCH_ENTRIES);
                chunkBytes = 0;
                out.add(reindex(sendOne(q, m), i));
                chunkStart = i + 1;
                continue;
            }
            if (chunk.isEmpty()) {
                chunkStart = i;
            }
            chunk.add(m);
            chunkBytes += bytes;
        }
        addAll(out, sendBatch(q, chunk), chunkStart);
        return new BatchResult<>(out);
    }

    /** Sends one message alone with SendMessage (too large for a batch, or batching is off). Never throws. */
    private BatchResult.Entry<SendResult> sendOne(Queue q, OutgoingMessage m) {
        try {
            SendMessageResponse r = sqs.sendMessage(b -> {
                b.queueUrl(q.url).messageBody(m.body()).messageGroupId(m.groupId()).messageDeduplicationId(m.deduplicationId());
                if (!m.attributes().isEmpty()) {
                    b.messageAttributes(attributeValues(m.attributes()));
                }
                if (m.delay() != null) {
                    b.delaySeconds((int) m.delay().getSeconds());
                }
            });
            return new BatchResult.Success<>(0, new SendResult(r.messageId(), emptyToNull(r.sequenceNumber())));
        } catch (SdkException e) {
            return new BatchResult.Failure<>(0, SqsErrors.translate("SendMessage", q.spec.name(), e));
        }
    }

    /** Sends up to 10 messages in one request; outcomes indexed within the batch. Never throws. */
    private List<BatchResult.Entry<SendResult>> sendBatch(Queue q, List<OutgoingMessage> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            OutgoingMessage m = batch.get(i);
            SendMessageBatchRequestEntry.Builder e = SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(m.body())
                    .messageGroupId(m.groupId())
                    .messageDeduplicationId(m.deduplicationId());
            if (!m.attributes().isEmpty()) {
                e.messageAttributes(attributeValues(m.attributes()));
            }
            if (m.delay() != null) {
                e.delaySeconds((int) m.delay().getSeconds());
            }
            entries.add(e.build());
        }
        List<BatchResult.Entry<SendResult>> out = new ArrayList<>(batch.size());
        try {
            SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(q.url).entries(entries));
            Map<String, SendMessageBatchResultEntry> ok = new HashMap<>();
            for (SendMessageBatchResultEntry s : r.successful()) {
                ok.put(s.id(), s);
            }
            Map<String, BatchResultErrorEntry> failed = new HashMap<>();
            for (BatchResultErrorEntry f : r.failed()) {
                failed.put(f.id(), f);
            }
            for (int i = 0; i < batch.size(); i++) {
                String id = Integer.toString(i);
                SendMessageBatchResultEntry s = ok.get(id);
                if (s != null) {
                    out.add(new BatchResult.Success<>(i, new SendResult(s.messageId(), emptyToNull(s.sequenceNumber()))));
                } else {
                    BatchResultErrorEntry f = failed.get(id);
                    out.add(new BatchResult.Failure<>(i, new BackendException("SQS SendMessageBatch on queue '" + q.spec.name()
                            + "' failed for this entry: " + (f == null ? "no result returned" : f.code() + ": " + f.message()),
                            q.spec.name(), null)));
                }
            }
        } catch (SdkException e) {
            MessageQueueException error = SqsErrors.translate("SendMessageBatch", q.spec.name(), e);
            for (int i = 0; i < batch.size(); i++) {
                out.add(new BatchResult.Failure<>(i, error));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- receive

    @Override
    public List<ReceivedMessage> receive(QueueSpec spec, ReceiveRequest request) {
        Queue q = queue(spec);
        List<Message> messages = receiveRaw(q, request.maxMessages(), request.waitTime(), request.visibilityTimeout());
        List<ReceivedMessage> out = new ArrayList<>(messages.size());
        long until = System.nanoTime() + request.visibilityTimeout().toNanos();
        for (Message m : messages) {
            out.add(toReceived(q, m));
            inFlightUntil.put(m.receiptHandle(), until);
        }
        if (inFlightUntil.size() > SWEEP_THRESHOLD) {
            long now = System.nanoTime();
            inFlightUntil.values().removeIf(deadline -> now - deadline > SWEEP_AFTER_NANOS);
        }
        return out;
    }

    private List<Message> receiveRaw(Queue q, int max, @Nullable Duration wait, @Nullable Duration visibility) {
        try {
            return sqs.receiveMessage(b -> {
                b.queueUrl(q.url).maxNumberOfMessages(max)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All");
                if (wait != null) {
                    b.waitTimeSeconds((int) wait.getSeconds());
                }
                if (visibility != null) {
                    b.visibilityTimeout((int) visibility.getSeconds());
                }
            }).messages();
        } catch (SdkException e) {
            throw SqsErrors.translate("ReceiveMessage", q.spec.name(), e);
        }
    }

    private ReceivedMessage toReceived(Queue q, Message m) {
        Map<MessageSystemAttributeName, String> sys = m.attributes();
        Map<String, String> attributes = new LinkedHashMap<>();
        DeadLetterMark mark = null;
        for (Map.Entry<String, MessageAttributeValue> e : m.messageAttributes().entrySet()) {
            if (e.getKey().equals(DeadLetterMark.ATTRIBUTE)) {
                mark = DeadLetterMark.decode(e.getValue().stringValue());
            } else if (e.getValue().stringValue() != null) {
                attributes.put(e.getKey(), e.getValue().stringValue());
            }
        }
        String messageId = m.messageId();
        Instant now = Instant.now();
        Instant sentAt = millis(sys.get(MessageSystemAttributeName.SENT_TIMESTAMP), now);
        String deadLetterSource = null;
        String sourceArn = sys.get(MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN);
        if (sourceArn != null && !sourceArn.isEmpty()) {
            String physical = sourceArn.substring(sourceArn.lastIndexOf(':') + 1);
            String logical = logicalByPhysical.get(physical);
            deadLetterSource = logical == null ? physical : deadLetterSourceIn(q, logical);
        }
        if (mark != null) {
            attributes.putAll(mark.packedAttributes());
            messageId = mark.messageId();
            sentAt = mark.sentAt();
            if (deadLetterSource == null) {
                deadLetterSource = deadLetterSourceIn(q, mark.source());
            }
        }
        String receipt = receipt(q.spec.name(), messageId, m.receiptHandle());
        return new ReceivedMessage(q.spec.name(), messageId, receipt, m.body(), attributes,
                emptyToNull(sys.get(MessageSystemAttributeName.MESSAGE_GROUP_ID)),
                emptyToNull(sys.get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)),
                emptyToNull(sys.get(MessageSystemAttributeName.SEQUENCE_NUMBER)),
                intValue(sys.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT), 1),
                sentAt,
                millis(sys.get(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP), now),
                deadLetterSource);
    }

    /** {@code source} if queue {@code q} is its dead-letter queue (a message redriven elsewhere has no source). */
    private @Nullable String deadLetterSourceIn(Queue q, String source) {
        return topology.find(source)
                .filter(s -> s.deadLetter() != null && s.deadLetter().targetQueue().equals(q.spec.name()))
                .map(QueueSpec::name)
                .orElse(null);
    }

    // ---------------------------------------------------------------- receipts

    /**
     * A receipt as mq4j hands it out: {@code queue~messageId~check~handle}, where {@code check} is
     * a CRC-32 of the rest. The check tells a receipt this backend issued (whose SQS handle SQS
     * may since consider stale) from a made-up or damaged one (a {@link ValidationException}).
     */
    private record Receipt(String receipt, @Nullable String messageId, String handle) {}

    static String receipt(String queue, String messageId, String handle) {
        return queue + SEPARATOR + messageId + SEPARATOR + check(queue, messageId, handle) + SEPARATOR + handle;
    }

    private static String check(String queue, String messageId, String handle) {
        CRC32 crc = new CRC32();
        crc.update((queue + SEPARATOR + messageId + SEPARATOR + handle).getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    private static Receipt parseReceipt(QueueSpec spec, String receipt) {
        String[] parts = receipt.split(SEPARATOR, 4);
        if (parts.length != 4 || parts[1].isEmpty() || parts[3].isEmpty()
                || !parts[2].equals(check(parts[0], parts[1], parts[3]))) {
            throw new ValidationException("receipt", spec.name(), "receipt is not one mq4j's SQS backend issued for queue '"
                    + spec.name() + "'");
        }
        if (!parts[0].equals(spec.name())) {
            throw new ValidationException("receipt", spec.name(), "receipt was issued for queue '" + parts[0]
                    + "', not for queue '" + spec.name() + "'");
        }
        return new Receipt(receipt, parts[1], parts[3]);
    }

    // ---------------------------------------------------------------- delete

    @Override
    public BatchResult<String> delete(QueueSpec spec, List<String> receipts) {
        Queue q = queue(spec);
        List<BatchResult.Entry<String>> out = new ArrayList<>(receipts.size());
        List<Receipt> valid = new ArrayList<>(receipts.size());
        List<Integer> validIndexes = new ArrayList<>(receipts.size());
        for (int i = 0; i < receipts.size(); i++) {
            out.add(null);
            try {
                valid.add(parseReceipt(spec, receipts.get(i)));
                validIndexes.add(i);
            } catch (ValidationException e) {
                out.set(i, new BatchResult.Failure<>(i, e));
            }
        }
        if (valid.size() == 1 && autoBatch) {
            int i = validIndexes.get(0);
            out.set(i, withValue(q.deletes.submit(valid.get(0).handle()), i, valid.get(0).receipt()));
            return new BatchResult<>(out);
        }
        for (int start = 0; start < valid.size(); start += MAX_BATCH_ENTRIES) {
            List<Receipt> chunk = valid.subList(start, Math.min(valid.size(), start + MAX_BATCH_ENTRIES));
            List<String> handles = new ArrayList<>(chunk.size());
            for (Receipt r : chunk) {
                handles.add(r.handle());
            }
            List<BatchResult.Entry<String>> results = deleteHandles(q, handles);
            for (int j = 0; j < chunk.size(); j++) {
                int i = validIndexes.get(start + j);
                out.set(i, withValue(results.get(j), i, chunk.get(j).receipt()));
            }
        }
        return new BatchResult<>(out);
    }

    /** Deletes up to 10 receipt handles in one request; a stale handle succeeds. Never throws. */
    private List<BatchResult.Entry<String>> deleteHandles(Queue q, List<String> handles) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(handles.size());
        for (int i = 0; i < handles.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(handles.get(i)).build());
        }
        List<BatchResult.Entry<String>> out = new ArrayList<>(handles.size());
        for (String h : handles) {
            inFlightUntil.remove(h);
        }
        try {
            DeleteMessageBatchResponse r = sqs.deleteMessageBatch(b -> b.queueUrl(q.url).entries(entries));
            Map<String, BatchResultErrorEntry> failed = new HashMap<>();
            for (BatchResultErrorEntry f : r.failed()) {
                failed.put(f.id(), f);
            }
            for (int i = 0; i < handles.size(); i++) {
                BatchResultErrorEntry f = failed.get(Integer.toString(i));
                RuntimeException error = f == null ? null
                        : SqsErrors.receiptError("DeleteMessage", q.spec.name(), null, f.code(), f.message(), null);
                if (error == null || error instanceof StaleReceiptException) {
                    out.add(new BatchResult.Success<>(i, handles.get(i)));
                } else {
                    out.add(new BatchResult.Failure<>(i, error));
                }
            }
        } catch (SdkException e) {
            MessageQueueException error = SqsErrors.translate("DeleteMessageBatch", q.spec.name(), e);
            for (int i = 0; i < handles.size(); i++) {
                out.add(new BatchResult.Failure<>(i, error));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- visibility

    @Override
    public BatchResult<String> changeVisibility(QueueSpec spec, List<VisibilityChange> changes) {
        Queue q = queue(spec);
        List<BatchResult.Entry<String>> out = new ArrayList<>(changes.size());
        List<Receipt> valid = new ArrayList<>(changes.size());
        List<Integer> validIndexes = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            out.add(null);
            try {
                Receipt receipt = parseReceipt(spec, changes.get(i).receipt());
                if (expired(receipt)) {
                    out.set(i, new BatchResult.Failure<>(i, new StaleReceiptException(spec.name(), receipt.messageId())));
                    continue;
                }
                valid.add(receipt);
                validIndexes.add(i);
            } catch (ValidationException e) {
                out.set(i, new BatchResult.Failure<>(i, e));
            }
        }
        for (int start = 0; start < valid.size(); start += MAX_BATCH_ENTRIES) {
            int end = Math.min(valid.size(), start + MAX_BATCH_ENTRIES);
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(end - start);
            for (int j = start; j < end; j++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(Integer.toString(j - start))
                        .receiptHandle(valid.get(j).handle())
                        .visibilityTimeout((int) changes.get(validIndexes.get(j)).timeout().getSeconds())
                        .build());
            }
            try {
                ChangeMessageVisibilityBatchResponse r = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(q.url).entries(entries));
                Map<String, BatchResultErrorEntry> failed = new HashMap<>();
                for (BatchResultErrorEntry f : r.failed()) {
                    failed.put(f.id(), f);
                }
                for (int j = start; j < end; j++) {
                    int i = validIndexes.get(j);
                    Receipt receipt = valid.get(j);
                    BatchResultErrorEntry f = failed.get(Integer.toString(j - start));
                    if (f == null) {
                        inFlightUntil.computeIfPresent(receipt.handle(), (h, old) -> System.nanoTime()
                                + changes.get(i).timeout().toNanos());
                        out.set(i, new BatchResult.Success<>(i, receipt.receipt()));
                    } else {
                        out.set(i, new BatchResult.Failure<>(i, SqsErrors.receiptError("ChangeMessageVisibility", q.spec.name(),
                                receipt.messageId(), f.code(), f.message(), null)));
                    }
                }
            } catch (SdkException e) {
                MessageQueueException error = SqsErrors.translate("ChangeMessageVisibilityBatch", q.spec.name(), e);
                for (int j = start; j < end; j++) {
                    int i = validIndexes.get(j);
                    out.set(i, new BatchResult.Failure<>(i, error));
                }
            }
        }
        return new BatchResult<>(out);
    }

    /** Whether this backend handed out the receipt and its visibility timeout has run out since. */
    private boolean expired(Receipt receipt) {
        Long until = inFlightUntil.get(receipt.handle());
        return until != null && System.nanoTime() - until > 0;
    }

    private void changeVisibilityOrThrow(Queue q, Receipt receipt, Duration timeout) {
        if (expired(receipt)) {
            throw new StaleReceiptException(q.spec.name(), receipt.messageId());
        }
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(q.url).receiptHandle(receipt.handle())
                    .visibilityTimeout((int) timeout.getSeconds()));
        } catch (SdkException e) {
            String code = SqsErrors.code(e);
            if (code == null) {
                throw SqsErrors.translate("ChangeMessageVisibility", q.spec.name(), e);
            }
            throw SqsErrors.receiptError("ChangeMessageVisibility", q.spec.name(), receipt.messageId(), code,
                    SqsErrors.errorMessage(e), e);
        }
    }

    // ---------------------------------------------------------------- dead letters

    @Override
    public void moveToDeadLetter(QueueSpec spec, ReceivedMessage message) {
        Queue q = queue(spec);
        Receipt receipt = parseReceipt(spec, message.receipt());
        Queue dlq = queues.get(spec.deadLetter().targetQueue());
        // Checks that the receipt is current and keeps the message hidden while it is copied.
        Duration hold = spec.visibilityTimeout().compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : spec.visibilityTimeout();
        changeVisibilityOrThrow(q, receipt, hold);
        DeadLetterMark mark = DeadLetterMark.forMessage(spec.name(), message.messageId(), message.sentAt(), message.attributes());
        Map<String, String> attributes = new LinkedHashMap<>(mark.packed() ? Map.of() : message.attributes());
        attributes.put(DeadLetterMark.ATTRIBUTE, mark.encode());
        try {
            sqs.sendMessage(b -> b.queueUrl(dlq.url)
                    .messageBody(message.body())
                    .messageAttributes(attributeValues(attributes))
                    .messageGroupId(dlq.spec.fifo() ? message.groupId() : null)
                    .messageDeduplicationId(dlq.spec.fifo() ? message.messageId() : null));
        } catch (SdkException e) {
            throw SqsErrors.translate("SendMessage", dlq.spec.name(), e);
        }
        BatchResult.Entry<String> deleted = deleteHandles(q, List.of(receipt.handle())).get(0);
        if (deleted instanceof BatchResult.Failure<String> f) {
            throw f.error();
        }
        log.debug("mq4j sqs: moved message {} of queue '{}' to dead-letter queue '{}'", message.messageId(), spec.name(),
                dlq.spec.name());
    }

    @Override
    public RedriveResult redrive(QueueSpec deadLetterQueue, RedriveRequest request) {
        Queue dlq = queue(deadLetterQueue);
        QueueSpec destination = null;
        if (request.destination() != null) {
            destination = topology.queue(request.destination());
        } else {
            List<QueueSpec> sources = topology.sourcesOf(deadLetterQueue.name());
            if (sources.size() == 1) {
                destination = sources.get(0);
            }
        }
        if (destination != null && !deadLetterQueue.fifo()) {
            return moveTask(dlq, queue(destination), request.maxMessagesPerSecond());
        }
        return moveByReceiving(dlq, destination == null ? null : queue(destination), request.maxMessagesPerSecond());
    }

    /** Redrives with SQS's StartMessageMoveTask to one destination, and waits for the task to end. */
    private RedriveResult moveTask(Queue dlq, Queue destination, @Nullable Integer rate) {
        String sourceArn = arn(dlq);
        String destinationArn = arn(destination);
        String handle;
        try {
            handle = sqs.startMessageMoveTask(b -> b.sourceArn(sourceArn).destinationArn(destinationArn)
                    .maxNumberOfMessagesPerSecond(rate)).taskHandle();
        } catch (SdkException e) {
            throw SqsErrors.translate("StartMessageMoveTask", dlq.spec.name(), e);
        }
        log.info("mq4j sqs: redriving dead-letter queue '{}' to '{}' (task {})", dlq.spec.name(), destination.spec.name(), handle);
        while (true) {
            ListMessageMoveTasksResultEntry task;
            try {
                List<ListMessageMoveTasksResultEntry> tasks =
                        sqs.listMessageMoveTasks(b -> b.sourceArn(sourceArn).maxResults(10)).results();
                log.debug("mq4j sqs: message move tasks of '{}': {}", dlq.spec.name(), tasks);
                task = tasks.stream().filter(t -> handle.equals(t.taskHandle())).findFirst()
                        .orElse(tasks.isEmpty() ? null : tasks.get(0));
            } catch (SdkException e) {
                throw SqsErrors.translate("ListMessageMoveTasks", dlq.spec.name(), e);
            }
            String status = task == null ? "COMPLETED" : task.status();
            switch (status) {
                case "COMPLETED" -> {
                    long moved = task == null || task.approximateNumberOfMessagesMoved() == null ? 0
                            : task.approximateNumberOfMessagesMoved();
                    log.info("mq4j sqs: redrive of '{}' to '{}' moved {} messages", dlq.spec.name(), destination.spec.name(), moved);
                    return new RedriveResult(moved);
                }
                case "FAILED", "CANCELLED" -> throw new BackendException("SQS message move task from queue '" + dlq.spec.name()
                        + "' to '" + destination.spec.name() + "' ended " + status
                        + (task.failureReason() == null ? "" : ": " + task.failureReason())
                        + " after moving " + task.approximateNumberOfMessagesMoved() + " messages", dlq.spec.name(), null);
                default -> sleep(TASK_POLL);
            }
        }
    }

    /**
     * Redrives by receiving from the dead-letter queue, sending each message to {@code destination}
     * (or, when that is null, to its own source queue) and deleting it. Used where SQS's message
     * move task cannot do the job: a dead-letter queue shared by several sources (the task sends
     * back only what SQS itself dead-lettered, not the copies {@link #moveToDeadLetter} made), and
     * FIFO dead-letter queues (where ElasticMQ's task moves nothing). Messages of unknown source
     * are held hidden while the move runs and made visible again at the end. On FIFO queues the
     * messages of a group arrive in order and are sent on in that order.
     */
    private RedriveResult moveByReceiving(Queue dlq, @Nullable Queue destination, @Nullable Integer rate) {
        long moved = 0;
        long started = System.nanoTime();
        List<Receipt> held = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try {
            while (true) {
                List<Message> batch = receiveRaw(dlq, MAX_BATCH_ENTRIES, Duration.ofSeconds(1), MOVE_HOLD);
                if (batch.isEmpty()) {
                    break;
                }
                boolean anyNew = false;
                Map<String, List<Message>> byTarget = new LinkedHashMap<>();
                for (Message m : batch) {
                    anyNew |= seen.add(m.messageId());
                    ReceivedMessage r = toReceived(dlq, m);
                    String target = destination != null ? destination.spec.name() : r.deadLetterSource();
                    if (target == null || !queues.containsKey(target)) {
                        held.add(new Receipt(r.receipt(), r.messageId(), m.receiptHandle()));
                    } else {
                        byTarget.computeIfAbsent(target, k -> new ArrayList<>()).add(m);
                    }
                }
                for (Map.Entry<String, List<Message>> e : byTarget.entrySet()) {
                    Queue target = queues.get(e.getKey());
                    List<OutgoingMessage> copies = new ArrayList<>();
                    for (Message m : e.getValue()) {
                        ReceivedMessage r = toReceived(dlq, m);
                        copies.add(new OutgoingMessage(r.body(), r.attributes(),
                                target.spec.fifo() ? r.groupId() : null, target.spec.fifo() ? m.messageId() : null, null));
                    }
                    List<BatchResult.Entry<SendResult>> sent = sendBatch(target, copies);
                    List<String> toDelete = new ArrayList<>();
                    for (int i = 0; i < sent.size(); i++) {
                        Message m = e.getValue().get(i);
                        if (sent.get(i).succeeded()) {
                            toDelete.add(m.receiptHandle());
                        } else {
                            held.add(new Receipt(m.receiptHandle(), m.messageId(), m.receiptHandle()));
                        }
                    }
                    if (!toDelete.isEmpty()) {
                        deleteHandles(dlq, toDelete);
                        moved += toDelete.size();
                    }
                }
                if (!anyNew) {
                    break;
                }
                if (rate != null) {
                    long due = TimeUnit.SECONDS.toNanos(moved) / rate;
                    long elapsed = System.nanoTime() - started;
                    if (due > elapsed) {
                        sleep(Duration.ofNanos(due - elapsed));
                    }
                }
            }
        } finally {
            release(dlq, held);
        }
        log.info("mq4j sqs: redrive of '{}' to {} moved {} messages{}", dlq.spec.name(),
                destination == null ? "the source queues" : "'" + destination.spec.name() + "'", moved,
                held.isEmpty() ? "" : "; " + held.size() + " of unknown source stay");
        return new RedriveResult(moved);
    }

    private void release(Queue dlq, List<Receipt> held) {
        for (int start = 0; start < held.size(); start += MAX_BATCH_ENTRIES) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int j = start; j < Math.min(held.size(), start + MAX_BATCH_ENTRIES); j++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(j - start))
                        .receiptHandle(held.get(j).handle()).visibilityTimeout(0).build());
            }
            try {
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(dlq.url).entries(entries));
            } catch (SdkException e) {
                log.warn("mq4j sqs: could not make {} held messages of dead-letter queue '{}' visible again; they will be"
                        + " after {}", entries.size(), dlq.spec.name(), MOVE_HOLD, e);
            }
        }
    }

    private String arn(Queue q) {
        return arns.computeIfAbsent(q.spec.name(), name -> {
            try {
                return sqs.getQueueAttributes(b -> b.queueUrl(q.url).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
            } catch (SdkException e) {
                throw SqsErrors.translate("GetQueueAttributes", name, e);
            }
        });
    }

    // ---------------------------------------------------------------- queue operations

    @Override
    public QueueStats stats(QueueSpec spec) {
        Queue q = queue(spec);
        try {
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(q.url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            return new QueueStats(spec.name(),
                    longValue(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                    longValue(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
                    longValue(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)),
                    null);
        } catch (SdkException e) {
            throw SqsErrors.translate("GetQueueAttributes", spec.name(), e);
        }
    }

    @Override
    public void purge(QueueSpec spec) {
        Queue q = queue(spec);
        try {
            sqs.purgeQueue(b -> b.queueUrl(q.url));
        } catch (SdkException e) {
            throw SqsErrors.translate("PurgeQueue", spec.name(), e);
        }
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }

    @Override
    public String toString() {
        return "SqsBackend[queues=" + topology.names() + "]";
    }

    // ---------------------------------------------------------------- helpers

    /** The bytes a message counts against SQS's size limits: body and attributes (name, type, value). */
    static int size(OutgoingMessage m) {
        int bytes = utf8Length(m.body());
        for (Map.Entry<String, String> e : m.attributes().entrySet()) {
            bytes += utf8Length(e.getKey()) + Limits.ATTRIBUTE_TYPE_BYTES + utf8Length(e.getValue());
        }
        return bytes;
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static Map<String, MessageAttributeValue> attributeValues(Map<String, String> attributes) {
        Map<String, MessageAttributeValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            out.put(e.getKey(), MessageAttributeValue.builder().dataType(STRING).stringValue(e.getValue()).build());
        }
        return out;
    }

    private static <T> BatchResult.Entry<T> reindex(BatchResult.Entry<T> e, int index) {
        if (e instanceof BatchResult.Success<T> s) {
            return new BatchResult.Success<>(index, s.value());
        }
        return new BatchResult.Failure<>(index, ((BatchResult.Failure<T>) e).error());
    }

    private static BatchResult.Entry<String> withValue(BatchResult.Entry<String> e, int index, String value) {
        if (e.succeeded()) {
            return new BatchResult.Success<>(index, value);
        }
        return new BatchResult.Failure<>(index, ((BatchResult.Failure<String>) e).error());
    }

    private static <T> void addAll(List<BatchResult.Entry<T>> out, List<BatchResult.Entry<T>> batch, int offset) {
        for (BatchResult.Entry<T> e : batch) {
            out.add(reindex(e, offset + e.index()));
        }
    }

    private static @Nullable String emptyToNull(@Nullable String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Instant millis(@Nullable String value, Instant fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static int intValue(@Nullable String value, int fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long longValue(@Nullable String value) {
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessageQueueException("interrupted while waiting for a redrive", e);
        }
    }
}
