package io.github.mq4j.testkit.reliability;

import io.github.mq4j.QueueClient;
import io.github.mq4j.testkit.BackendFixture;
import java.util.Map;

/**
 * A {@link BackendFixture} whose clients can be joined from another process, for the scenarios
 * that run a worker in a JVM of its own ({@link WorkerProcess}). Its clients run in real time: a
 * process that joins them sees the same visibility timeouts.
 */
public interface ReliabilityFixture extends BackendFixture {

    /**
     * The environment variables with which {@link io.github.mq4j.QueueFactory#fromConfig} (reading
     * {@link io.github.mq4j.ConfigSource#environment()}) in another process opens a client on the
     * same queues as {@code client}, {@code MESSAGE_QUEUE_TYPE} included; plus whatever else that
     * process needs in its environment (e.g. {@code AWS_REGION}).
     *
     * @param client a client this fixture opened and that is still open
     */
    Map<String, String> environmentOf(QueueClient client);
}
