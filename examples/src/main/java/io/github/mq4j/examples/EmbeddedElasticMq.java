package io.github.mq4j.examples;

import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.Topology;
import io.github.mq4j.sqs.SqsBackendProvider;
import io.github.mq4j.sqs.SqsProvisioner;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An ElasticMQ server (a real SQS-protocol server) started in the JVM on a free loopback port, with
 * one {@link SqsClient} for it (64 connections, more than any benchmark's threads; region and
 * credentials set here, since ElasticMQ accepts any), for the examples and benchmarks that run on
 * SQS without an AWS account. Close it to stop both.
 */
public final class EmbeddedElasticMq implements AutoCloseable {
    private final SQSRestServer server;
    private final SqsClient sqs;
    private final URI endpoint;

    private EmbeddedElasticMq(SQSRestServer server, SqsClient sqs, URI endpoint) {
        this.server = server;
        this.sqs = sqs;
        this.endpoint = endpoint;
    }

    /** Starts the server and opens the client. */
    public static EmbeddedElasticMq start() {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        try {
            int port = server.waitUntilStarted().localAddress().getPort();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            SqsClient sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .httpClientBuilder(Apache5HttpClient.builder().maxConnections(64)).build();
            return new EmbeddedElasticMq(server, sqs, endpoint);
        } catch (RuntimeException e) {
            server.stopAndWait();
            throw e;
        }
    }

    /** The client for this server; closed with it. */
    public SqsClient sqs() {
        return sqs;
    }

    /** The server's address, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Provisions {@code topology} with every queue name prefixed by {@code prefix} (so that runs do
     * not share queues) and opens an mq4j client on it with {@code extra} settings; the client uses
     * this server's {@link SqsClient} and does not close it.
     */
    public QueueClient open(Topology topology, String prefix, Map<String, String> extra) {
        SqsProvisioner.builder().client(sqs).queueNamePrefix(prefix).build().provision(topology);
        Map<String, String> config = new HashMap<>(extra);
        config.put(SqsBackendProvider.QUEUE_PREFIX, prefix);
        return QueueFactory.builder().type(SqsBackendProvider.TYPE).topology(topology).config(config)
                .option(SqsClient.class, sqs).build();
    }

    @Override
    public void close() {
        try {
            sqs.close();
        } finally {
            server.stopAndWait();
        }
    }
}
