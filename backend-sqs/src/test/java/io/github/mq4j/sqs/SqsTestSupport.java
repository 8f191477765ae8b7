package io.github.mq4j.sqs;

import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.Topology;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Opens mq4j clients on freshly provisioned ElasticMQ queues, isolated from other tests by a name prefix. */
final class SqsTestSupport {
    private SqsTestSupport() {}

    /** Provisions {@code topology} under a fresh prefix and opens a client on it. */
    static QueueClient open(Topology topology) {
        return open(topology, Map.of());
    }

    /** As {@link #open(Topology)}, with extra configuration variables. */
    static QueueClient open(Topology topology, Map<String, String> extraConfig) {
        SqsClient client = ElasticMq.get().client();
        String prefix = ElasticMq.uniquePrefix();
        SqsProvisioner.builder().client(client).queueNamePrefix(prefix).build().provision(topology);
        Map<String, String> config = new LinkedHashMap<>(extraConfig);
        config.put(SqsBackendProvider.QUEUE_PREFIX, prefix);
        return QueueFactory.builder().type("sqs").topology(topology).config(config).option(SqsClient.class, client).build();
    }
}
