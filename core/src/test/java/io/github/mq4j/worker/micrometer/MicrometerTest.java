package io.github.mq4j.worker.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.Topology;
import io.github.mq4j.memory.ManualClock;
import io.github.mq4j.worker.BackoffPolicy;
import io.github.mq4j.worker.SubscriptionOptions;
import io.github.mq4j.worker.Worker;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicrometerTest {
    private final ManualClock clock = new ManualClock();
    private final QueueClient client = QueueFactory.builder().type("memory").clock(clock).topology(Topology.of(
            QueueSpec.standard("jobs").deadLetter("dlq", 2).build(),
            QueueSpec.standard("dlq").build())).build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        client.close();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting until " + what).isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private double count(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void workerListener_countsEveryOutcomePerQueue() {
        MessageQueue jobs = client.queue("jobs");
        MessageQueue dlq = client.queue("dlq");
        try (Worker worker = Worker.builder().name("m").clock(clock).pollWaitTime(Duration.ofSeconds(1))
                .listener(new MicrometerWorkerListener(registry, Tags.of("worker", "m")))
                .subscribe(jobs, (m, c) -> {
                    if (m.body().startsWith("fail")) {
                        throw new IllegalStateException("fails");
                    }
                    if (m.body().equals("poison")) {
                        c.rejectAsPoison("bad");
                    }
                }, SubscriptionOptions.builder().backoff(BackoffPolicy.immediate()).build())
                .build()) {
            worker.start();
            jobs.sendBatch(List.of(OutgoingMessage.of("ok-1"), OutgoingMessage.of("ok-2"), OutgoingMessage.of("fail"),
                    OutgoingMessage.of("poison")));
            await("all settled", () -> dlq.stats().visible() == 2 && jobs.stats().total() == 0
                    && count("mq4j.worker.succeeded", "queue", "jobs") == 2);
        }

        assertThat(count("mq4j.worker.received", "queue", "jobs", "worker", "m")).isEqualTo(5); // fail is received twice
        assertThat(count("mq4j.worker.failed", "queue", "jobs")).isEqualTo(3);
        assertThat(count("mq4j.worker.retried", "queue", "jobs")).isEqualTo(1);
        assertThat(count("mq4j.worker.dead.lettered", "queue", "jobs", "reason", "rejected")).isEqualTo(1);
        assertThat(count("mq4j.worker.dead.lettered", "queue", "jobs", "reason", "max_receives")).isEqualTo(1);
        assertThat(registry.find("mq4j.worker.handler.duration").tags("queue", "jobs", "outcome", "success").timer().count())
                .isEqualTo(2);
        assertThat(registry.find("mq4j.worker.handler.duration").tags("queue", "jobs", "outcome", "failure").timer().count())
                .isEqualTo(3);
        assertThat(registry.find("mq4j.worker.in.flight").tags("queue", "jobs").gauge().value()).isZero();
    }

    @Test
    void queueStatsGauges_publishEachQueuesStats() {
        MessageQueue jobs = client.queue("jobs");
        MessageQueue dlq = client.queue("dlq");
        jobs.sendBatch(List.of(OutgoingMessage.of("a"), OutgoingMessage.of("b"), OutgoingMessage.of("c")));
        jobs.send(OutgoingMessage.builder("later").delay(Duration.ofSeconds(60)).build());
        jobs.receive(ReceiveRequest.of(1));
        clock.advance(Duration.ofSeconds(90)); // the delayed message is due now, the received one visible again
        jobs.receive(ReceiveRequest.of(1));
        jobs.send(OutgoingMessage.builder("delayed").delay(Duration.ofSeconds(60)).build());

        try (QueueStatsGauges gauges = new QueueStatsGauges(List.of(jobs, dlq), Duration.ofMillis(20), Tags.of("app", "t"))) {
            gauges.bindTo(registry);
            await("first read", () -> !Double.isNaN(registry.find("mq4j.queue.messages.visible").tags("queue", "jobs").gauge().value()));

            assertThat(registry.find("mq4j.queue.messages.visible").tags("queue", "jobs", "app", "t").gauge().value()).isEqualTo(3);
            assertThat(registry.find("mq4j.queue.messages.in.flight").tags("queue", "jobs").gauge().value()).isEqualTo(1);
            assertThat(registry.find("mq4j.queue.messages.delayed").tags("queue", "jobs").gauge().value()).isEqualTo(1);
            assertThat(registry.find("mq4j.queue.oldest.message.age").tags("queue", "jobs").timeGauge().value(TimeUnit.SECONDS))
                    .isEqualTo(90);
            assertThat(registry.find("mq4j.queue.messages.visible").tags("queue", "dlq").gauge().value()).isZero();

            jobs.send("one more");
            gauges.refresh();
            assertThat(registry.find("mq4j.queue.messages.visible").tags("queue", "jobs").gauge().value()).isEqualTo(4);
        }
    }
}
