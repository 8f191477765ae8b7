package io.github.mq4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code MESSAGE_QUEUE_TYPE=memory}: the in-memory backend ships in core, so the factory gives the
 * eight queues of the default topology, configured as DESIGN.md's table says, and working.
 */
class QueueFactoryMemoryTest {

    private static QueueClient memory() {
        return QueueFactory.fromConfig(ConfigSource.of(Map.of("MESSAGE_QUEUE_TYPE", "memory")));
    }

    @Test
    void fromConfig_memory_givesTheEightQueuesOfTheDefaultTopology() {
        try (QueueClient client = memory()) {
            assertThat(client.type()).isEqualTo("memory");
            List<QueueSpec> specs = new ArrayList<>();
            for (String name : List.of("async-jobs", "async-jobs.fifo", "cronjobs", "dlq", "dlq.fifo", "events-inbox", "iot",
                    "webhooks")) {
                MessageQueue queue = client.queue(name);
                assertThat(queue.name()).isEqualTo(name);
                specs.add(queue.spec());
            }
            TopologyTest.assertDefaultTopology(new Topology(specs));
            assertThat(client.topology()).isEqualTo(Topology.defaults());
        }
    }

    @Test
    void fromConfig_memory_acceptsAnyCaseAndSurroundingBlanks() {
        try (QueueClient client = QueueFactory.fromConfig(ConfigSource.of(Map.of("MESSAGE_QUEUE_TYPE", "  MEMORY ")))) {
            assertThat(client.type()).isEqualTo("memory");
        }
    }

    @Test
    void fromConfig_memory_queuesWork() {
        try (QueueClient client = memory()) {
            client.queue("async-jobs").send("{\"job\":\"refresh\"}");
            List<ReceivedMessage> received = client.queue("async-jobs").receive(ReceiveRequest.of(10));
            assertThat(received).extracting(ReceivedMessage::body).containsExactly("{\"job\":\"refresh\"}");

            MessageQueue fifo = client.queue("async-jobs.fifo");
            SendResult first = fifo.send(OutgoingMessage.builder("same").groupId("g").build());
            SendResult second = fifo.send(OutgoingMessage.builder("same").groupId("g").build());
            assertThat(second.messageId()).as("content-based deduplication").isEqualTo(first.messageId());
        }
    }

    @Test
    void memory_rejectedCallsLeaveNothingBehind() {
        try (QueueClient client = memory()) {
            MessageQueue jobs = client.queue("async-jobs");
            MessageQueue fifo = client.queue("async-jobs.fifo");
            assertThatThrownBy(() -> jobs.send("")).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> jobs.send(OutgoingMessage.builder("x").delay(Duration.ofSeconds(901)).build()))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> jobs.send(OutgoingMessage.builder("x").groupId("g").build()))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> fifo.send("no group")).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> fifo.send(OutgoingMessage.builder("x").groupId("g").delay(Duration.ZERO).build()))
                    .isInstanceOf(ValidationException.class);
            BatchResult<SendResult> batch = jobs.sendBatch(List.of(OutgoingMessage.of(""), OutgoingMessage.of("ok")));
            assertThat(batch.get(0).succeeded()).isFalse();
            assertThat(batch.get(1).succeeded()).isTrue();

            assertThat(jobs.stats().total()).isEqualTo(1);
            assertThat(fifo.stats().total()).isZero();
        }
    }

    @Test
    void unknownType_listsMemoryAmongTheProvidersOnTheClasspath() {
        assertThatThrownBy(() -> QueueFactory.fromConfig(ConfigSource.of(Map.of("MESSAGE_QUEUE_TYPE", "kafka"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("valid types are sqs, postgres, memory")
                .hasMessageContaining("Backends on the classpath: memory, recording");
        assertThat(QueueFactory.availableTypes()).containsExactly("memory", "recording");
    }

    @Test
    void sqsWithoutItsModule_saysTheMemoryBackendIsThere() {
        assertThatThrownBy(() -> QueueFactory.fromConfig(ConfigSource.of(Map.of())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("io.github.mq4j:mq4j-backend-sqs")
                .hasMessageContaining("Backends on the classpath: memory, recording");
    }
}
