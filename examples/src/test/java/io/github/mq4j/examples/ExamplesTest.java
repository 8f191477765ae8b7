package io.github.mq4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the examples on the embedded default (the SQS backend on an in-process ElasticMQ, as with
 * nothing configured) and checks what they did, not only that they return.
 */
class ExamplesTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private static ExampleBackend embedded(Topology topology) {
        ExampleBackend backend = ExampleBackend.open(ConfigSource.empty(), topology);
        assertThat(backend.isEmbedded()).isTrue();
        assertThat(backend.queues().type()).isEqualTo("sqs");
        return backend;
    }

    @Test
    void jobSystem_handlesEveryMessage_keepsBuildOrder_andRedrivesTheBillingJob() throws InterruptedException {
        try (ExampleBackend backend = embedded(Topology.defaults())) {
            JobSystemExample.Summary s = JobSystemExample.run(backend, 12, out);

            assertThat(s.completed()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
            for (JobSystemExample.QueueSummary q : s.queues()) {
                assertThat(q.depth()).as(q.queue() + " depth").isZero();
                assertThat(q.handled()).as(q.queue() + " handled").isEqualTo(q.sent());
            }
            assertThat(s.queue("webhooks").sent()).isEqualTo(12);
            assertThat(s.queue("async-jobs.fifo").handled()).isEqualTo(12);
            assertThat(s.queue("events-inbox").handled()).isEqualTo(12);
            assertThat(s.queue("iot").handled()).isEqualTo(12);
            assertThat(s.queue("cronjobs").handled()).isEqualTo(1);
            // 12 notifications + 1 drift-detection job + the billing job, handled once after the redrive
            assertThat(s.queue("async-jobs").handled()).isEqualTo(14);
            assertThat(s.queue("async-jobs").retried()).isEqualTo(2);
            assertThat(s.queue("async-jobs").deadLettered()).isEqualTo(1);
            assertThat(s.redriven()).isEqualTo(1);
            assertThat(s.orderViolations()).isZero();
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("summary: completed");
        }
    }

    @Test
    void producerConsumer_consumesEveryJobOnce() {
        try (ExampleBackend backend = embedded(Topology.defaults())) {
            List<String> done = ProducerConsumerExample.run(backend.queues(), out);

            assertThat(done).containsExactlyInAnyOrder("{\"job\":\"resize\",\"image\":1}", "{\"job\":\"resize\",\"image\":2}",
                    "{\"job\":\"resize\",\"image\":3}");
            assertThat(backend.queues().queue("async-jobs").stats().total()).isZero();
        }
    }

    @Test
    void priorityQueues_runHighBeforeMain_andLowOnItsOwnWorker() throws InterruptedException {
        try (ExampleBackend backend = embedded(PriorityQueuesExample.topology())) {
            List<String> order = PriorityQueuesExample.run(backend.queues(), 4, out);

            assertThat(order).hasSize(12);
            List<String> urgent = order.stream().filter(q -> !q.equals("app-low")).toList();
            assertThat(urgent).containsExactly("app-high", "app-high", "app-high", "app-high",
                    "app-main", "app-main", "app-main", "app-main");
            assertThat(order).filteredOn("app-low"::equals).hasSize(4);
            assertThat(backend.queues().topology().queue("app-main").deadLetter().maxReceiveCount()).isEqualTo(5);
            for (String queue : backend.queues().topology().names()) {
                assertThat(backend.queues().queue(queue).stats().total()).as(queue).isZero();
            }
        }
    }

    @Test
    void deadLetters_deletesThePoisonAndRedrivesTheRetryable() {
        try (ExampleBackend backend = embedded(Topology.defaults())) {
            DeadLetterExample.Outcome outcome = DeadLetterExample.run(backend.queues(), out);

            assertThat(outcome.deleted()).isEqualTo(2);
            assertThat(outcome.redriven()).isEqualTo(2);
            assertThat(backend.queues().queue("dlq").stats().total()).isZero();
            List<String> back = backend.queues().queue("async-jobs")
                    .receive(io.github.mq4j.ReceiveRequest.of(10, java.time.Duration.ofSeconds(5))).stream()
                    .map(m -> m.body() + " " + m.attribute("retryable")).toList();
            assertThat(back).containsExactlyInAnyOrder("{\"order\":2} true", "{\"order\":4} true");
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("from async-jobs");
        }
    }

    @Test
    void nothingConfigured_isFalseOnceATypeOrAnSqsVariableIsSet() {
        Topology topology = Topology.defaults();
        assertThat(ExampleBackend.nothingConfigured(ConfigSource.empty(), topology)).isTrue();
        assertThat(ExampleBackend.nothingConfigured(ConfigSource.of(java.util.Map.of("MESSAGE_QUEUE_TYPE", "memory")), topology))
                .isFalse();
        assertThat(ExampleBackend.nothingConfigured(
                ConfigSource.of(java.util.Map.of("MESSAGE_QUEUE_SQS_ENDPOINT", "http://localhost:9324")), topology)).isFalse();
        assertThat(ExampleBackend.nothingConfigured(
                ConfigSource.of(java.util.Map.of("MESSAGE_QUEUE_SQS_IOT_URL", "http://localhost:9324/q/iot")), topology)).isFalse();
    }
}
