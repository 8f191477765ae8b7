package io.github.mq4j.sqs;

import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.Topology;
import io.github.mq4j.testkit.reliability.FaultFixture;
import io.github.mq4j.testkit.reliability.NetworkFaultContract;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

/**
 * {@link NetworkFaultContract} on the SQS backend against ElasticMQ: the backend creates its own
 * SQS client (the SDK's default retry policy and timeouts) on {@code MESSAGE_QUEUE_SQS_ENDPOINT}
 * pointed at the fault proxy. The queues are provisioned directly, not through the proxy.
 */
class SqsNetworkFaultTest extends NetworkFaultContract {

    @Override
    protected FaultFixture fixture() {
        return new Fixture();
    }

    private static final class Fixture implements FaultFixture {
        @Override
        public InetSocketAddress server() {
            URI endpoint = ElasticMq.get().endpoint();
            return new InetSocketAddress(endpoint.getHost(), endpoint.getPort());
        }

        @Override
        public QueueClient open(Topology topology, InetSocketAddress through) {
            String prefix = ElasticMq.uniquePrefix();
            SqsProvisioner.builder().client(ElasticMq.get().client()).queueNamePrefix(prefix).build().provision(topology);
            // the SDK's default chains, as an application's (ElasticMQ checks neither region nor credentials)
            System.setProperty("aws.region", System.getProperty("aws.region", "us-east-1"));
            System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "test"));
            System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "test"));
            Map<String, String> config = Map.of(
                    SqsBackendProvider.ENDPOINT, "http://" + through.getHostString() + ":" + through.getPort(),
                    SqsBackendProvider.QUEUE_PREFIX, prefix);
            return QueueFactory.builder().type("sqs").topology(topology).config(config).build();
        }
    }
}
