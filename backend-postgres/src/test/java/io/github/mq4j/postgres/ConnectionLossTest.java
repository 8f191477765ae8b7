package io.github.mq4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.Topology;
import io.github.mq4j.testkit.reliability.FaultProxy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Operations on connections that the network dropped since their last use, through a {@link FaultProxy}. */
class ConnectionLossTest {
    private static final Topology TOPOLOGY = Topology.of(QueueSpec.standard("jobs").build(), QueueSpec.fifo("jobs.fifo").build());

    @Test
    void delete_onConnectionsCutSinceTheirLastUse_isTriedAgainOnANewConnection() {
        String schema = TestDatabase.newSchema("connloss");
        try (FaultProxy proxy = FaultProxy.start(TestDatabase.address());
                QueueClient client = TestDatabase.openThrough(TOPOLOGY, schema, proxy.address())) {
            for (String name : List.of("jobs", "jobs.fifo")) {
                MessageQueue queue = client.queue(name);
                for (int i = 0; i < 3; i++) {
                    if (queue.spec().fifo()) {
                        queue.send(OutgoingMessage.builder("m" + i).groupId("g").deduplicationId("m" + i).build());
                    } else {
                        queue.send("m" + i);
                    }
                }
                List<ReceivedMessage> got = queue.receive(ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ZERO).build());
                assertThat(got).hasSize(3);
                // The pool hands this thread the connection it used last without checking it (used in
                // the last 500 ms), which the cut has broken: the first try fails, the second succeeds.
                long cutBefore = proxy.cut();
                proxy.cutAll();
                assertThat(proxy.cut()).isGreaterThan(cutBefore);
                assertThat(queue.deleteBatch(got.stream().map(ReceivedMessage::receipt).toList()).allSucceeded())
                        .as("delete on %s after the cut", name).isTrue();
                assertThat(queue.stats().total()).as("messages left on %s", name).isZero();
            }
        } finally {
            TestDatabase.dropSchema(schema);
        }
    }
}
