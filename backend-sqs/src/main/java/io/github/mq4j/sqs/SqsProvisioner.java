package io.github.mq4j.sqs;

import io.github.mq4j.BackendException;
import io.github.mq4j.DeadLetterPolicy;
import io.github.mq4j.DeduplicationScope;
import io.github.mq4j.FifoThroughputLimit;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the SQS queues of a {@link Topology}, idempotently: dead-letter queues first, then the
 * queues that use them, each with its visibility timeout, retention, delay, maximum message
 * size, receive wait time, redrive policy ({@code maxReceiveCount}), and for FIFO queues
 * content-based deduplication and the high-throughput settings ({@code DeduplicationScope},
 * {@code FifoThroughputLimit}) when the specification asks for them. A queue that already
 * exists is left as it is: if its attributes differ from the specification, the report says
 * which ({@link ProvisioningReport.Status#DIFFERS}) and a warning is logged; nothing is changed
 * silently.
 *
 * <pre>{@code
 * ProvisioningReport report = SqsProvisioner.builder().client(sqsClient).build().provision(Topology.defaults());
 * if (report.hasDifferences()) { ... }
 * }</pre>
 *
 * <p>Needs {@code sqs:CreateQueue}, {@code sqs:GetQueueUrl} and {@code sqs:GetQueueAttributes}.
 * The client is the application's and is never closed. Thread-safe (immutable).
 */
public final class SqsProvisioner {
    private static final Logger log = LoggerFactory.getLogger(SqsProvisioner.class);
    private static final Pattern ARN = Pattern.compile("\"deadLetterTargetArn\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern MAX_RECEIVE = Pattern.compile("\"maxReceiveCount\"\\s*:\\s*\"?(\\d+)\"?");

    private final SqsCalls sqs;
    private final String prefix;

    private SqsProvisioner(Builder b) {
        this.sqs = Objects.requireNonNull(b.calls, "client: call client(SqsClient) or client(SqsAsyncClient)");
        this.prefix = b.prefix;
    }

    /** A builder; a client is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures an {@link SqsProvisioner}. Not thread-safe. */
    public static final class Builder {
        private @Nullable SqsCalls calls;
        private String prefix = "";

        private Builder() {}

        /** The client to create queues with; the provisioner never closes it. */
        public Builder client(SqsClient client) {
            this.calls = SqsCalls.of(Objects.requireNonNull(client, "client"));
            return this;
        }

        /** An asynchronous client to create queues with; the provisioner never closes it. */
        public Builder client(SqsAsyncClient client) {
            this.calls = SqsCalls.of(Objects.requireNonNull(client, "client"));
            return this;
        }

        /**
         * A prefix put before every queue name, e.g. {@code "staging-"}: the same as the backend's
         * {@code MESSAGE_QUEUE_SQS_QUEUE_PREFIX}. Defaults to none. The prefixed name must still
         * be a valid SQS queue name (at most 80 characters of {@code [A-Za-z0-9_-]}).
         */
        public Builder queueNamePrefix(String value) {
            Objects.requireNonNull(value, "queueNamePrefix");
            if (!value.matches("[A-Za-z0-9_-]*")) {
                throw new IllegalArgumentException("queueNamePrefix is '" + value + "'; it may contain only [A-Za-z0-9_-]");
            }
            this.prefix = value;
            return this;
        }

        public SqsProvisioner build() {
            return new SqsProvisioner(this);
        }
    }

    /**
     * Creates every queue of {@code topology} that does not exist, and checks the ones that do.
     *
     * @throws IllegalArgumentException if a prefixed name is longer than 80 characters
     * @throws BackendException if SQS refuses a call; queues created before the failure stay
     */
    public ProvisioningReport provision(Topology topology) {
        List<QueueSpec> ordered = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (QueueSpec q : topology.queues()) {
            order(topology, q, done, ordered);
        }
        for (QueueSpec q : ordered) {
            if ((prefix + q.name()).length() > 80) {
                throw new IllegalArgumentException("queue name '" + prefix + q.name() + "' is longer than 80 characters");
            }
        }
        Map<String, ProvisioningReport.ProvisionedQueue> byName = new LinkedHashMap<>();
        for (QueueSpec q : ordered) {
            DeadLetterPolicy dl = q.deadLetter();
            String dlqArn = dl == null ? null : byName.get(dl.targetQueue()).arn();
            byName.put(q.name(), provision(q, dlqArn));
        }
        return new ProvisioningReport(List.copyOf(byName.values()));
    }

    private static void order(Topology topology, QueueSpec q, Set<String> done, List<QueueSpec> out) {
        if (done.contains(q.name())) {
            return;
        }
        done.add(q.name());
        if (q.deadLetter() != null) {
            order(topology, topology.queue(q.deadLetter().targetQueue()), done, out);
        }
        out.add(q);
    }

    private ProvisioningReport.ProvisionedQueue provision(QueueSpec spec, @Nullable String dlqArn) {
        String name = prefix + spec.name();
        Map<QueueAttributeName, String> wanted = attributes(spec, dlqArn);
        try {
            String url = existingUrl(name);
            boolean created = false;
            if (url == null) {
                try {
                    url = sqs.createQueue(b -> b.queueName(name).attributes(wanted)).queueUrl();
                    created = true;
                } catch (SdkException e) {
                    String code = SqsErrors.code(e);
                    if (code == null || !code.contains("QueueNameExists") && !code.contains("QueueAlreadyExists")) {
                        throw e;
                    }
                    url = existingUrl(name);
                    if (url == null) {
                        throw e;
                    }
                }
            }
            String queueUrl = url;
            Map<QueueAttributeName, String> actual = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            String arn = actual.getOrDefault(QueueAttributeName.QUEUE_ARN, "");
            List<ProvisioningReport.Difference> differences = created ? List.of() : differences(spec, wanted, actual);
            ProvisioningReport.Status status = created ? ProvisioningReport.Status.CREATED
                    : differences.isEmpty() ? ProvisioningReport.Status.UNCHANGED : ProvisioningReport.Status.DIFFERS;
            if (status == ProvisioningReport.Status.DIFFERS) {
                log.warn("mq4j sqs: queue '{}' ({}) exists with attributes that differ from its specification, left unchanged: {}",
                        spec.name(), name, differences);
            } else {
                log.info("mq4j sqs: queue '{}' ({}) {}", spec.name(), name, created ? "created" : "exists as specified");
            }
            return new ProvisioningReport.ProvisionedQueue(spec.name(), name, url, arn, status, differences);
        } catch (SdkException e) {
            throw SqsErrors.translate("provisioning", spec.name(), e);
        }
    }

    private @Nullable String existingUrl(String name) {
        try {
            return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (SdkException e) {
            String code = SqsErrors.code(e);
            if (code != null && (code.contains("NonExistentQueue") || code.contains("QueueDoesNotExist"))) {
                return null;
            }
            throw e;
        }
    }

    /** The SQS attributes a queue of this specification is created with. */
    static Map<QueueAttributeName, String> attributes(QueueSpec spec, @Nullable String dlqArn) {
        Map<QueueAttributeName, String> a = new LinkedHashMap<>();
        a.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(spec.visibilityTimeout().getSeconds()));
        a.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Long.toString(spec.retention().getSeconds()));
        a.put(QueueAttributeName.DELAY_SECONDS, Long.toString(spec.delay().getSeconds()));
        a.put(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, Integer.toString(spec.maxMessageSize()));
        a.put(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, Long.toString(spec.receiveWaitTime().getSeconds()));
        if (spec.deadLetter() != null && dlqArn != null) {
            a.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":"
                    + spec.deadLetter().maxReceiveCount() + "}");
        }
        if (spec.fifo()) {
            a.put(QueueAttributeName.FIFO_QUEUE, "true");
            a.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, Boolean.toString(spec.contentBasedDeduplication()));
            if (spec.deduplicationScope() == DeduplicationScope.MESSAGE_GROUP) {
                a.put(QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup");
            }
            if (spec.fifoThroughputLimit() == FifoThroughputLimit.PER_MESSAGE_GROUP_ID) {
                a.put(QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId");
            }
        }
        return a;
    }

    private static List<ProvisioningReport.Difference> differences(QueueSpec spec, Map<QueueAttributeName, String> wanted,
            Map<QueueAttributeName, String> actual) {
        Map<QueueAttributeName, String> expected = new LinkedHashMap<>(wanted);
        if (spec.fifo()) {
            expected.putIfAbsent(QueueAttributeName.DEDUPLICATION_SCOPE, "queue");
            expected.putIfAbsent(QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perQueue");
        }
        List<ProvisioningReport.Difference> out = new ArrayList<>();
        for (Map.Entry<QueueAttributeName, String> e : expected.entrySet()) {
            QueueAttributeName name = e.getKey();
            String want = e.getValue();
            String have = actual.get(name);
            boolean same;
            if (name == QueueAttributeName.REDRIVE_POLICY) {
                same = have != null && Objects.equals(match(ARN, want), match(ARN, have))
                        && Objects.equals(match(MAX_RECEIVE, want), match(MAX_RECEIVE, have));
            } else if (have == null) {
                // Not reported (SQS reports every attribute; SQS-compatible servers may not): nothing to compare.
                log.debug("mq4j sqs: queue '{}' does not report attribute {}; not compared", spec.name(), name);
                same = true;
            } else {
                same = have.toLowerCase(Locale.ROOT).equals(want.toLowerCase(Locale.ROOT));
            }
            if (!same) {
                out.add(new ProvisioningReport.Difference(name.toString(), want, have == null ? "" : have));
            }
        }
        if (spec.deadLetter() == null) {
            String have = actual.get(QueueAttributeName.REDRIVE_POLICY);
            if (have != null && !have.isBlank()) {
                out.add(new ProvisioningReport.Difference(QueueAttributeName.REDRIVE_POLICY.toString(), "", have));
            }
        }
        return out;
    }

    private static @Nullable String match(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }
}
