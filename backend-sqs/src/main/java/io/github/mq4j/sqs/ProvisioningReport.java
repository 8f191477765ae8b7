package io.github.mq4j.sqs;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link SqsProvisioner#provision(io.github.mq4j.Topology)} found and did, one entry per
 * queue in the order they were provisioned (dead-letter queues first). Immutable.
 *
 * @param queues one entry per queue of the topology
 */
public record ProvisioningReport(List<ProvisionedQueue> queues) {

    public ProvisioningReport {
        queues = List.copyOf(queues);
    }

    /** What provisioning did with one queue. */
    public enum Status {
        /** The SQS queue did not exist and was created with the specification's attributes. */
        CREATED,
        /** The SQS queue existed with the attributes the specification asks for. */
        UNCHANGED,
        /** The SQS queue existed with other attributes; it was left as it was (see the differences). */
        DIFFERS
    }

    /**
     * One queue.
     *
     * @param queue the logical queue name
     * @param sqsName the SQS queue name (the prefix and the logical name)
     * @param url the SQS queue URL
     * @param arn the SQS queue ARN
     * @param status what was done
     * @param differences the attributes whose existing value differs from the specification; empty unless {@link Status#DIFFERS}
     */
    public record ProvisionedQueue(String queue, String sqsName, String url, String arn, Status status,
            List<Difference> differences) {
        public ProvisionedQueue {
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(sqsName, "sqsName");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(arn, "arn");
            Objects.requireNonNull(status, "status");
            differences = List.copyOf(differences);
        }
    }

    /**
     * An SQS queue attribute whose value differs from what the specification asks for.
     *
     * @param attribute the SQS attribute name, e.g. {@code VisibilityTimeout}
     * @param expected the value the specification asks for
     * @param actual the queue's value (empty if the queue has none)
     */
    public record Difference(String attribute, String expected, String actual) {
        @Override
        public String toString() {
            return attribute + " is '" + actual + "', expected '" + expected + "'";
        }
    }

    /** The entry of the logical queue {@code name}, if the topology had one. */
    public Optional<ProvisionedQueue> queue(String name) {
        return queues.stream().filter(q -> q.queue().equals(name)).findFirst();
    }

    /** Whether any existing queue differs from its specification. */
    public boolean hasDifferences() {
        return queues.stream().anyMatch(q -> q.status() == Status.DIFFERS);
    }
}
