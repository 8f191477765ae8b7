package io.github.mq4j.testkit.reliability;

import io.github.mq4j.QueueClient;
import io.github.mq4j.Topology;
import java.net.InetSocketAddress;

/**
 * What the network-fault scenarios ({@link NetworkFaultContract}) need from a backend: where its
 * server listens, and fresh clients whose connections to that server go to another address, a
 * {@link FaultProxy}'s. A backend's test implements it once:
 *
 * <pre>{@code
 * final class MyFaultFixture implements FaultFixture {
 *     public InetSocketAddress server() {
 *         return new InetSocketAddress("127.0.0.1", 5432);
 *     }
 *     public QueueClient open(Topology topology, InetSocketAddress through) {
 *         // the same settings as usual, with host and port replaced by through's, on a fresh namespace
 *     }
 * }
 * }</pre>
 */
public interface FaultFixture {

    /** The address (host and port) of the server that the backend's clients talk to. */
    InetSocketAddress server();

    /**
     * A fresh client for {@code topology} on an isolated namespace (its queues exist and are empty),
     * every connection of which to the server goes to {@code through} instead: the backend's pool,
     * its listener connection, its HTTP client. The client is built with the backend's own defaults
     * (pool, timeouts, retry policy), since how they recover is what the scenarios test. The test
     * closes the client.
     */
    QueueClient open(Topology topology, InetSocketAddress through);
}
