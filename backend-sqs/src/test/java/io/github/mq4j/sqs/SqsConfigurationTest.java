package io.github.mq4j.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.ConfigurationException;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.Topology;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** How the SQS backend reads its configuration and which client it uses. */
class SqsConfigurationTest {
    private final SqsClient sqs = ElasticMq.get().client();

    @Test
    void open_withoutUrls_namesEveryMissingVariableAtOnce() {
        assertThatThrownBy(() -> QueueFactory.fromConfig(k -> k.equals("MESSAGE_QUEUE_TYPE") ? "sqs" : null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContainingAll("MESSAGE_QUEUE_SQS_ASYNC_URL", "MESSAGE_QUEUE_SQS_ASYNC_FIFO_URL",
                        "MESSAGE_QUEUE_SQS_CRONJOBS_URL", "MESSAGE_QUEUE_SQS_DLQ_URL", "MESSAGE_QUEUE_SQS_DLQ_FIFO_URL",
                        "MESSAGE_QUEUE_SQS_EVENTS_INBOX_URL", "MESSAGE_QUEUE_SQS_IOT_URL", "MESSAGE_QUEUE_SQS_WEBHOOKS_URL",
                        SqsBackendProvider.QUEUE_PREFIX);
    }

    @Test
    void open_withFifoQueueOnAStandardUrl_isAnError() {
        Topology topology = Topology.of(QueueSpec.fifo("jobs.fifo").build());
        assertThatThrownBy(() -> QueueFactory.builder().type("sqs").topology(topology)
                .config(Map.of("MESSAGE_QUEUE_SQS_JOBS_FIFO_URL", "http://127.0.0.1:1/000000000000/jobs"))
                .option(SqsClient.class, sqs).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MESSAGE_QUEUE_SQS_JOBS_FIFO_URL").hasMessageContaining(".fifo");
    }

    @Test
    void open_withUrlVariables_usesThemAndNeverClosesTheApplicationsClient() {
        String prefix = ElasticMq.uniquePrefix();
        Topology topology = Topology.of(QueueSpec.standard("jobs").build(), QueueSpec.fifo("ordered.fifo").build());
        ProvisioningReport report = SqsProvisioner.builder().client(sqs).queueNamePrefix(prefix).build().provision(topology);
        Map<String, String> config = new HashMap<>();
        config.put("MESSAGE_QUEUE_SQS_JOBS_URL", report.queue("jobs").orElseThrow().url());
        config.put("MESSAGE_QUEUE_SQS_ORDERED_FIFO_URL", report.queue("ordered.fifo").orElseThrow().url());

        try (QueueClient client = QueueFactory.builder().type("sqs").topology(topology).config(config)
                .option(SqsClient.class, sqs).build()) {
            client.queue("jobs").send("via url");
            assertThat(client.queue("jobs").receive(ReceiveRequest.of(1, Duration.ofSeconds(2))))
                    .extracting(m -> m.body()).containsExactly("via url");
        }

        assertThat(sqs.listQueues(b -> b.queueNamePrefix(prefix)).queueUrls()).hasSize(2);
    }

    @Test
    void open_withApplicationsAsyncClient_usesItAndNeverClosesIt() {
        String prefix = ElasticMq.uniquePrefix();
        Topology topology = Topology.of(QueueSpec.standard("async").build());
        SqsProvisioner.builder().client(sqs).queueNamePrefix(prefix).build().provision(topology);
        try (SqsAsyncClient async = SqsAsyncClient.builder().endpointOverride(ElasticMq.get().endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            try (QueueClient client = QueueFactory.builder().type("sqs").topology(topology)
                    .config(Map.of(SqsBackendProvider.QUEUE_PREFIX, prefix)).option(SqsAsyncClient.class, async).build()) {
                client.queue("async").send("via async client");
                assertThat(client.queue("async").receive(ReceiveRequest.of(1, Duration.ofSeconds(2))))
                        .extracting(m -> m.body()).containsExactly("via async client");
            }
            assertThat(async.listQueues(b -> b.queueNamePrefix(prefix)).join().queueUrls()).hasSize(1);
        }
    }

    @Test
    void open_resolvingByName_reportsQueuesThatDoNotExist() {
        Topology topology = Topology.of(QueueSpec.standard("nowhere").build());
        assertThatThrownBy(() -> QueueFactory.builder().type("sqs").topology(topology)
                .config(Map.of(SqsBackendProvider.QUEUE_PREFIX, ElasticMq.uniquePrefix()))
                .option(SqsClient.class, sqs).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MESSAGE_QUEUE_SQS_NOWHERE_URL").hasMessageContaining("nowhere");
    }

    @Test
    void open_withEndpointVariable_createsItsOwnClient() {
        String prefix = ElasticMq.uniquePrefix();
        Topology topology = Topology.of(QueueSpec.standard("own").build());
        SqsProvisioner.builder().client(sqs).queueNamePrefix(prefix).build().provision(topology);
        Map<String, String> config = Map.of(SqsBackendProvider.ENDPOINT, ElasticMq.get().endpoint().toString(),
                SqsBackendProvider.QUEUE_PREFIX, prefix);
        System.setProperty("aws.region", System.getProperty("aws.region", "us-east-1"));
        System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "test"));
        System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "test"));

        try (QueueClient client = QueueFactory.builder().type("sqs").topology(topology).config(config).build()) {
            client.queue("own").send("own client");
            assertThat(client.queue("own").stats().visible()).isEqualTo(1);
        }
    }

    @Test
    void open_withInvalidSwitch_isAnError() {
        assertThatThrownBy(() -> QueueFactory.builder().type("sqs").topology(Topology.of(QueueSpec.standard("x").build()))
                .config(Map.of(SqsBackendProvider.AUTO_BATCH, "yes", "MESSAGE_QUEUE_SQS_X_URL", "http://127.0.0.1:1/0/x"))
                .option(SqsClient.class, sqs).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(SqsBackendProvider.AUTO_BATCH);
    }
}
