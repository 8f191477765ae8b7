package io.github.mq4j;

import static io.github.mq4j.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Topologies: unique names and config keys, dead-letter targets that exist and have the same type, the default eight queues. */
class TopologyTest {

    @Test
    void emptyTopology_isRejected() {
        assertRejected("queues", () -> new Topology(List.of()), "empty", "at least one queue");
        assertRejected("queues", Topology::of, "at least one queue");
    }

    @Test
    void duplicateName_isRejected() {
        assertRejected("queues", () -> Topology.of(QueueSpec.standard("a").build(), QueueSpec.standard("b").build(),
                QueueSpec.standard("a").configKey("OTHER").build()), "'a'", "twice");
    }

    @Test
    void duplicateConfigKey_isRejected() {
        assertRejected("configKey", () -> Topology.of(QueueSpec.standard("a").configKey("K").build(),
                QueueSpec.standard("b").configKey("K").build()), "'a'", "'b'", "'K'");
    }

    @Test
    void namesThatMapToTheSameDefaultConfigKey_areRejected() {
        assertRejected("configKey", () -> Topology.of(QueueSpec.standard("app-high").build(),
                QueueSpec.standard("app_high").build()), "'app-high'", "'app_high'", "'APP_HIGH'");
    }

    @Test
    void unknownDeadLetterTarget_isRejectedListingTheQueues() {
        assertRejected("deadLetter.targetQueue", () -> Topology.of(QueueSpec.standard("work").deadLetter("dlq", 3).build(),
                QueueSpec.standard("other").build()), "'work'", "'dlq'", "not in the topology", "work, other");
    }

    @Test
    void fifoQueueWithStandardDeadLetterQueue_isRejected() {
        assertRejected("deadLetter.targetQueue", () -> Topology.of(QueueSpec.fifo("work.fifo").deadLetter("dlq", 3).build(),
                QueueSpec.standard("dlq").build()), "'work.fifo'", "'dlq'", "FIFO", "standard", "same type");
    }

    @Test
    void standardQueueWithFifoDeadLetterQueue_isRejected() {
        assertRejected("deadLetter.targetQueue", () -> Topology.of(QueueSpec.standard("work").deadLetter("dlq.fifo", 3).build(),
                QueueSpec.fifo("dlq.fifo").build()), "'work'", "'dlq.fifo'", "FIFO", "standard", "same type");
    }

    @Test
    void deadLetterQueueDeclaredAfterItsSource_isAccepted() {
        Topology t = Topology.of(QueueSpec.standard("work").deadLetter("dlq", 3).build(), QueueSpec.standard("dlq").build());
        assertThat(t.names()).containsExactly("work", "dlq");
    }

    @Test
    void queues_areCopiedAndImmutable() {
        List<QueueSpec> specs = new ArrayList<>(List.of(QueueSpec.standard("a").build()));
        Topology t = new Topology(specs);
        specs.add(QueueSpec.standard("b").build());
        assertThat(t.names()).containsExactly("a");
        assertThatThrownBy(() -> t.queues().add(QueueSpec.standard("c").build())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void find_queue_andSourcesOf_lookUpByName() {
        Topology t = Topology.of(QueueSpec.standard("a").deadLetter("dlq", 3).build(),
                QueueSpec.standard("b").deadLetter("dlq", 5).build(), QueueSpec.standard("dlq").build());
        assertThat(t.find("b")).map(QueueSpec::name).hasValue("b");
        assertThat(t.find("c")).isEmpty();
        assertThat(t.queue("dlq").name()).isEqualTo("dlq");
        assertThat(t.sourcesOf("dlq")).extracting(QueueSpec::name).containsExactly("a", "b");
        assertThat(t.sourcesOf("a")).isEmpty();
    }

    @Test
    void queue_unknownName_throwsUnknownQueueExceptionListingTheKnownOnes() {
        Topology t = Topology.of(QueueSpec.standard("a").build(), QueueSpec.standard("b").build());
        UnknownQueueException e = (UnknownQueueException) assertRejected("queue", () -> t.queue("c"), "'c'", "a, b");
        assertThat(e.knownQueues()).containsExactly("a", "b");
        assertThat(e.queue()).isEqualTo("c");
    }

    @Test
    void queue_unknownNameWithControlCharacters_isEscapedInTheMessage() {
        Topology t = Topology.of(QueueSpec.standard("a").build());
        assertRejected("queue", () -> t.queue("x\nERROR forged line"), "'x\\u000AERROR forged line'");
        assertRejected("queue", () -> t.queue("y".repeat(200)), "'" + "y".repeat(40) + "…'");
    }

    @Test
    void defaults_areTheEightQueuesOfTheDesign() {
        assertDefaultTopology(Topology.defaults());
    }

    /** The default topology exactly as DESIGN.md's table gives it. */
    static void assertDefaultTopology(Topology t) {
        Duration fourDays = Duration.ofDays(4);
        Duration fiveMinutes = Duration.ofSeconds(300);
        assertThat(t.queues()).containsExactly(
                QueueSpec.standard("async-jobs").configKey("ASYNC").visibilityTimeout(fiveMinutes).retention(fourDays)
                        .deadLetter("dlq", 3).build(),
                QueueSpec.fifo("async-jobs.fifo").configKey("ASYNC_FIFO").visibilityTimeout(fiveMinutes).retention(fourDays)
                        .contentBasedDeduplication(true).deadLetter("dlq.fifo", 3).build(),
                QueueSpec.standard("cronjobs").configKey("CRONJOBS").visibilityTimeout(fiveMinutes)
                        .retention(Duration.ofSeconds(3600)).deadLetter("dlq", 3).build(),
                QueueSpec.standard("dlq").configKey("DLQ").visibilityTimeout(fiveMinutes).retention(fourDays).build(),
                QueueSpec.fifo("dlq.fifo").configKey("DLQ_FIFO").visibilityTimeout(fiveMinutes).retention(fourDays)
                        .contentBasedDeduplication(true).build(),
                QueueSpec.standard("events-inbox").configKey("EVENTS_INBOX").visibilityTimeout(fiveMinutes).retention(fourDays)
                        .deadLetter("dlq", 3).build(),
                QueueSpec.standard("iot").configKey("IOT").visibilityTimeout(Duration.ofSeconds(45)).retention(fourDays)
                        .deadLetter("dlq", 3).build(),
                QueueSpec.standard("webhooks").configKey("WEBHOOKS").visibilityTimeout(Duration.ofSeconds(600))
                        .retention(fourDays).deadLetter("dlq", 3).build());
        for (QueueSpec q : t.queues()) {
            assertThat(q.delay()).as(q.name()).isZero();
            assertThat(q.maxMessageSize()).as(q.name()).isEqualTo(256 * 1024);
        }
    }
}
