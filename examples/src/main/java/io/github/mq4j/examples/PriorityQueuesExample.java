package io.github.mq4j.examples;

import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.Topology;
import io.github.mq4j.worker.MessageHandler;
import io.github.mq4j.worker.Worker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Celery-style priority setup on a topology of its own: {@code app-high}, {@code app-main} and
 * {@code app-low}, each dead-lettering to {@code app-dlq} after 5 receives. One worker serves
 * {@code app-high} before {@code app-main} (as {@code celery worker -Q high,main}); another,
 * with a slot of its own, serves {@code app-low}, so that slow, low-priority work never holds up
 * the rest.
 *
 * <p>Runs on the embedded default (which provisions this topology), or on what
 * {@code MESSAGE_QUEUE_TYPE} says ({@link ExampleBackend}); on SQS the queues' URLs are
 * {@code MESSAGE_QUEUE_SQS_APP_HIGH_URL}, {@code …_APP_MAIN_URL}, {@code …_APP_LOW_URL} and
 * {@code …_APP_DLQ_URL}.
 */
public final class PriorityQueuesExample {
    private PriorityQueuesExample() {}

    // snippet-start: priority-topology
    /** The application's queues: three priorities and their dead-letter queue. */
    public static Topology topology() {
        Duration oneMinute = Duration.ofSeconds(60);
        return Topology.of(
                QueueSpec.standard("app-high").visibilityTimeout(oneMinute).deadLetter("app-dlq", 5).build(),
                QueueSpec.standard("app-main").visibilityTimeout(oneMinute).deadLetter("app-dlq", 5).build(),
                QueueSpec.standard("app-low").visibilityTimeout(Duration.ofMinutes(15)).deadLetter("app-dlq", 5).build(),
                QueueSpec.standard("app-dlq").retention(Duration.ofDays(14)).build());
    }
    // snippet-end: priority-topology

    public static void main(String[] args) throws InterruptedException {
        try (ExampleBackend backend = ExampleBackend.open(topology())) {
            System.out.println("priority queues on " + backend.description());
            List<String> order = run(backend.queues(), 5, System.out);
            System.out.println("handled in this order: " + order);
        }
    }

    /**
     * Queues {@code perQueue} tasks on each of main, high and low (in that order), then starts the
     * workers; returns the queue of each task in the order the tasks were handled.
     */
    public static List<String> run(QueueClient queues, int perQueue, PrintStream out) throws InterruptedException {
        for (String queue : List.of("app-main", "app-high", "app-low")) {
            for (int i = 1; i <= perQueue; i++) {
                queues.queue(queue).send("{\"task\":" + i + "}");
            }
        }
        List<String> handled = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(3 * perQueue);
        MessageHandler task = (message, context) -> {
            out.println(Thread.currentThread().getName() + ": " + message.queue() + " " + message.body());
            handled.add(message.queue());
            all.countDown();
        };
        // snippet-start: priority-workers
        Worker urgent = Worker.builder()
                .name("urgent")
                .concurrency(1)                              // one slot, shared in priority order:
                .subscribe(queues.queue("app-high"), task)   // app-main only while app-high is empty
                .subscribe(queues.queue("app-main"), task)
                .pollWaitTime(Duration.ofSeconds(1))         // (default 20 s; short so that the example stops at once)
                .build();
        Worker background = Worker.builder()
                .name("background")
                .concurrency(1)
                .subscribe(queues.queue("app-low"), task)
                .pollWaitTime(Duration.ofSeconds(1))
                .build();
        urgent.start();
        background.start();
        // snippet-end: priority-workers
        try {
            if (!all.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + handled.size() + " of " + 3 * perQueue + " tasks handled in 30 s");
            }
        } finally {
            urgent.close();
            background.close();
        }
        return List.copyOf(handled);
    }

}
