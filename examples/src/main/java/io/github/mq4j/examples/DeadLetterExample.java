package io.github.mq4j.examples;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.Topology;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Processing a dead-letter queue: look at each message in {@code dlq} (where it came from, how
 * often it was tried, what it carries), delete the ones that no retry will fix, and redrive the
 * rest to the queues they came from.
 *
 * <p>To have something to process, it first sends four orders to {@code async-jobs} and a
 * consumer rejects each as poison, which moves it to {@code dlq} at once; two of them carry
 * {@code "retryable":"true"}. Runs on the embedded default, or on what {@code MESSAGE_QUEUE_TYPE}
 * says ({@link ExampleBackend}).
 */
public final class DeadLetterExample {
    private DeadLetterExample() {}

    /** What processing the dead-letter queue did. */
    public record Outcome(int deleted, long redriven) {}

    public static void main(String[] args) {
        try (ExampleBackend backend = ExampleBackend.open(Topology.defaults())) {
            System.out.println("dead-letter processing on " + backend.description());
            Outcome outcome = run(backend.queues(), System.out);
            System.out.println("deleted " + outcome.deleted() + ", redriven " + outcome.redriven());
        }
    }

    /** Dead-letters four orders, then processes {@code dlq}. */
    public static Outcome run(QueueClient queues, PrintStream out) {
        MessageQueue jobs = queues.queue("async-jobs");
        for (int order = 1; order <= 4; order++) {
            jobs.send(OutgoingMessage.builder("{\"order\":" + order + "}").attribute("retryable", Boolean.toString(order % 2 == 0))
                    .build());
        }
        int rejected = 0;
        while (rejected < 4) {
            for (ReceivedMessage message : jobs.receive(ReceiveRequest.of(10, Duration.ofSeconds(5)))) {
                jobs.moveToDeadLetter(message);       // poison: to dlq now, without waiting for maxReceiveCount
                rejected++;
            }
        }
        return process(queues.queue("dlq"), out);
    }

    /** Logs each message of {@code dlq}, deletes the ones not marked retryable and redrives the others. */
    public static Outcome process(MessageQueue dlq, PrintStream out) {
        // snippet-start: process-dead-letters
        int deleted = 0;
        List<ReceivedMessage> retryable = new ArrayList<>();
        List<ReceivedMessage> batch;
        // hidden long enough to look at every message before the first one comes back
        ReceiveRequest next = ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofSeconds(1))
                .visibilityTimeout(Duration.ofMinutes(5)).build();
        while (!(batch = dlq.receive(next)).isEmpty()) {
            for (ReceivedMessage message : batch) {
                out.printf("dead letter %s from %s, sent %s, attributes %s: %s%n", message.messageId(),
                        message.deadLetterSource(), message.sentAt(), message.attributes(), message.body());
                if ("true".equals(message.attribute("retryable"))) {
                    retryable.add(message);
                } else {
                    dlq.delete(message);                           // no retry will fix it
                    deleted++;
                }
            }
        }
        for (ReceivedMessage message : retryable) {
            dlq.changeVisibility(message, Duration.ZERO);          // visible again, so the redrive moves it
        }
        long redriven = dlq.redrive(RedriveRequest.toSource()      // each back to the queue it came from
                .withRateLimit(100)).moved();                      // at most 100 messages a second
        // snippet-end: process-dead-letters
        return new Outcome(deleted, redriven);
    }
}
