package io.github.mq4j.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.QueueSpec;
import io.github.mq4j.Topology;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Provisioning the SQS queues of a topology on ElasticMQ, read back through the SQS API. */
class SqsProvisionerTest {
    private final SqsClient sqs = ElasticMq.get().client();

    private Map<QueueAttributeName, String> attributes(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
    }

    @Test
    void provision_defaultTopology_createsEightQueuesWithTheirAttributesAndRedrivePolicies() {
        String prefix = ElasticMq.uniquePrefix();
        ProvisioningReport report = SqsProvisioner.builder().client(sqs).queueNamePrefix(prefix).build()
                .provision(Topology.defaults());

        assertThat(report.queues()).hasSize(8).allSatisfy(q -> assertThat(q.status()).isEqualTo(ProvisioningReport.Status.CREATED));
        assertThat(report.queues().indexOf(report.queue("dlq").orElseThrow()))
                .isLessThan(report.queues().indexOf(report.queue("async-jobs").orElseThrow()));
        assertThat(report.queues().indexOf(report.queue("dlq.fifo").orElseThrow()))
                .isLessThan(report.queues().indexOf(report.queue("async-jobs.fifo").orElseThrow()));
        String dlqArn = report.queue("dlq").orElseThrow().arn();
        String dlqFifoArn = report.queue("dlq.fifo").orElseThrow().arn();

        Map<String, Long> visibility = Map.of("async-jobs", 300L, "async-jobs.fifo", 300L, "cronjobs", 300L, "dlq", 300L,
                "dlq.fifo", 300L, "events-inbox", 300L, "iot", 45L, "webhooks", 600L);
        for (ProvisioningReport.ProvisionedQueue q : report.queues()) {
            assertThat(q.sqsName()).isEqualTo(prefix + q.queue());
            assertThat(sqs.getQueueUrl(b -> b.queueName(prefix + q.queue())).queueUrl()).isEqualTo(q.url());
            Map<QueueAttributeName, String> a = attributes(q.url());
            assertThat(a.get(QueueAttributeName.VISIBILITY_TIMEOUT)).as(q.queue()).isEqualTo(visibility.get(q.queue()).toString());
            String redrive = a.get(QueueAttributeName.REDRIVE_POLICY);
            switch (q.queue()) {
                case "dlq", "dlq.fifo" -> assertThat(redrive).as(q.queue()).isNull();
                case "async-jobs.fifo" -> assertThat(redrive).contains(dlqFifoArn).containsPattern("\"maxReceiveCount\":\"?3\"?");
                default -> assertThat(redrive).as(q.queue()).contains(dlqArn).containsPattern("\"maxReceiveCount\":\"?3\"?");
            }
            boolean fifo = q.queue().endsWith(".fifo");
            assertThat(Boolean.parseBoolean(a.getOrDefault(QueueAttributeName.FIFO_QUEUE, "false"))).as(q.queue()).isEqualTo(fifo);
            if (fifo) {
                assertThat(a.get(QueueAttributeName.CONTENT_BASED_DEDUPLICATION)).isEqualToIgnoringCase("true");
            }
        }
    }

    @Test
    void provision_twice_isIdempotentAndReportsUnchanged() {
        String prefix = ElasticMq.uniquePrefix();
        SqsProvisioner provisioner = SqsProvisioner.builder().client(sqs).queueNamePrefix(prefix).build();
        ProvisioningReport first = provisioner.provision(Topology.defaults());

        ProvisioningReport second = provisioner.provision(Topology.defaults());

        assertThat(second.hasDifferences()).isFalse();
        assertThat(second.queues()).allSatisfy(q -> assertThat(q.status()).isEqualTo(ProvisioningReport.Status.UNCHANGED));
        assertThat(second.queues()).extracting(ProvisioningReport.ProvisionedQueue::url)
                .containsExactlyElementsOf(first.queues().stream().map(ProvisioningReport.ProvisionedQueue::url).toList());
    }

    @Test
    void provision_existingQueueWithOtherAttributes_isReportedNotChanged() {
        String prefix = ElasticMq.uniquePrefix();
        SqsProvisioner provisioner = SqsProvisioner.builder().client(sqs).queueNamePrefix(prefix).build();
        provisioner.provision(Topology.of(QueueSpec.standard("jobs").visibilityTimeout(Duration.ofSeconds(30)).build()));

        ProvisioningReport report = provisioner.provision(Topology.of(
                QueueSpec.standard("jobs").visibilityTimeout(Duration.ofSeconds(90)).delay(Duration.ofSeconds(5)).build()));

        ProvisioningReport.ProvisionedQueue jobs = report.queue("jobs").orElseThrow();
        assertThat(jobs.status()).isEqualTo(ProvisioningReport.Status.DIFFERS);
        assertThat(jobs.differences()).extracting(ProvisioningReport.Difference::attribute)
                .containsExactlyInAnyOrder("VisibilityTimeout", "DelaySeconds");
        assertThat(attributes(jobs.url()).get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("30");
    }

    @Test
    void provision_customTopology_setsDelayMaxSizeWaitAndMaxReceiveCount() {
        String prefix = ElasticMq.uniquePrefix();
        Topology topology = Topology.of(
                QueueSpec.standard("app-main").delay(Duration.ofSeconds(10)).maxMessageSize(64 * 1024)
                        .receiveWaitTime(Duration.ofSeconds(20)).deadLetter("app-dlq", 7).build(),
                QueueSpec.standard("app-dlq").build());

        ProvisioningReport report = SqsProvisioner.builder().client(sqs).queueNamePrefix(prefix).build().provision(topology);

        assertThat(report.queues()).extracting(ProvisioningReport.ProvisionedQueue::queue).containsExactly("app-dlq", "app-main");
        Map<QueueAttributeName, String> a = attributes(report.queue("app-main").orElseThrow().url());
        assertThat(a.get(QueueAttributeName.DELAY_SECONDS)).isEqualTo("10");
        assertThat(a.get(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS)).isEqualTo("20");
        assertThat(a.get(QueueAttributeName.REDRIVE_POLICY)).containsPattern("\"maxReceiveCount\":\"?7\"?");
    }

    @Test
    void provision_setsRetentionAndMaximumMessageSize() {
        String prefix = ElasticMq.uniquePrefix();
        Topology topology = Topology.of(QueueSpec.standard("kept").retention(Duration.ofSeconds(3600))
                .maxMessageSize(64 * 1024).build());

        ProvisioningReport report = SqsProvisioner.builder().client(sqs).queueNamePrefix(prefix).build().provision(topology);

        Map<QueueAttributeName, String> a = attributes(report.queue("kept").orElseThrow().url());
        assumeReported(a, QueueAttributeName.MESSAGE_RETENTION_PERIOD);
        assumeReported(a, QueueAttributeName.MAXIMUM_MESSAGE_SIZE);
        assertThat(a.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD)).isEqualTo("3600");
        assertThat(a.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE)).isEqualTo(Integer.toString(64 * 1024));
    }

    /** Skips on a server that does not report {@code name} (ElasticMQ 1.7.1 keeps no retention, size limit or FIFO throughput settings). */
    private static void assumeReported(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        Assumptions.assumeTrue(attributes.containsKey(name), "ElasticMQ gap: the server does not report queue attribute "
                + name + " (ElasticMQ 1.7.1 accepts it on CreateQueue and drops it)");
    }

    @Test
    void provision_highThroughputFifo_setsDeduplicationScopeAndThroughputLimit() {
        String prefix = ElasticMq.uniquePrefix();
        Topology topology = Topology.of(QueueSpec.fifo("fast.fifo").highThroughputFifo().build());

        ProvisioningReport report = SqsProvisioner.builder().client(sqs).queueNamePrefix(prefix).build().provision(topology);

        Map<QueueAttributeName, String> a = attributes(report.queue("fast.fifo").orElseThrow().url());
        assumeReported(a, QueueAttributeName.DEDUPLICATION_SCOPE);
        assumeReported(a, QueueAttributeName.FIFO_THROUGHPUT_LIMIT);
        assertThat(a.get(QueueAttributeName.DEDUPLICATION_SCOPE)).isEqualTo("messageGroup");
        assertThat(a.get(QueueAttributeName.FIFO_THROUGHPUT_LIMIT)).isEqualTo("perMessageGroupId");
    }
}
