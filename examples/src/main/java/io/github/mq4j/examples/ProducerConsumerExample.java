package io.github.mq4j.examples;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.Topology;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The smallest producer and consumer, without the worker runtime: send three jobs to
 * {@code async-jobs}, then receive them with a long poll and delete each one once it is done.
 * A message that is not deleted comes back after its visibility timeout (at-least-once).
 *
 * <p>Runs on the embedded default, or on what {@code MESSAGE_QUEUE_TYPE} says ({@link ExampleBackend}).
 */
public final class ProducerConsumerExample {
    private ProducerConsumerExample() {}

    public static void main(String[] args) {
        try (ExampleBackend backend = ExampleBackend.open(Topology.defaults())) {
            System.out.println("producer and consumer on " + backend.description());
            List<String> done = run(backend.queues(), System.out);
            System.out.println("done: " + done.size() + " jobs");
        }
    }

    /** Sends three jobs and consumes them; returns the bodies of the jobs done, in the order done. */
    public static List<String> run(QueueClient queues, PrintStream out) {
        // snippet-start: producer
        MessageQueue jobs = queues.queue("async-jobs");
        jobs.send("{\"job\":\"resize\",\"image\":1}");
        jobs.send(OutgoingMessage.builder("{\"job\":\"resize\",\"image\":2}")
                .attribute("tenant", "acme")              // string attributes travel with the body
                .build());
        jobs.send(OutgoingMessage.builder("{\"job\":\"resize\",\"image\":3}")
                .delay(Duration.ofSeconds(1))             // visible one second from now
                .build());
        // snippet-end: producer

        List<String> done = new ArrayList<>();
        // snippet-start: consumer
        while (done.size() < 3) {
            // up to 10 messages, waiting up to 5 s for the first one (long polling)
            for (ReceivedMessage message : jobs.receive(ReceiveRequest.of(10, Duration.ofSeconds(5)))) {
                out.println("processing " + message.body() + " (receive " + message.receiveCount() + ")");
                done.add(message.body());
                jobs.delete(message);                     // acknowledge after the work is done
            }
        }
        // snippet-end: consumer
        return done;
    }
}
