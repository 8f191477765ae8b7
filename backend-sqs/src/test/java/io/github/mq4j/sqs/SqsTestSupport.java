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
        return open(topology, provision(topology), extraConfig);
    }

    /** Provisions {@code topology} under a fresh prefix and returns the prefix. */
    static String provision(Topology topology) {
        String prefix = ElasticMq.uniquePrefix();
        SqsProvisioner.builder().client(ElasticMq.get().client()).queueNamePrefix(prefix).build().provision(topology);
        return prefix;
    }

    /** Opens a client on the queues of {@code topology} provisioned under {@code prefix}. */
    static QueueClient open(Topology topology, String prefix, Map<String, String> extraConfig) {
        Map<String, String> config = new LinkedHashMap<>(extraConfig);
        config.put(SqsBackendProvider.QUEUE_PREFIX, prefix);
        return QueueFactory.builder().type("sqs").topology(topology).config(config)
                .option(SqsClient.class, ElasticMq.get().client()).build();
    }

    /**
     * The environment of another process that opens a client (with an SQS client of its own) on
     * the queues provisioned under {@code prefix}: type, endpoint, prefix, and the region and
     * credentials that ElasticMQ accepts.
     */
    static Map<String, String> environment(String prefix) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(QueueFactory.TYPE_VARIABLE, SqsBackendProvider.TYPE);
        env.put(SqsBackendProvider.ENDPOINT, ElasticMq.get().endpoint().toString());
        env.put(SqsBackendProvider.QUEUE_PREFIX, prefix);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        return env;
    }
}
