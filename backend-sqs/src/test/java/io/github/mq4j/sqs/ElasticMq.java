package io.github.mq4j.sqs;

import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One in-JVM ElasticMQ server per test JVM, on a free loopback port, started on first use and
 * stopped when the JVM exits; and one SQS client for it, shared by the tests (and never closed by
 * a backend, since it is handed in as the application's client).
 */
final class ElasticMq {
    private static final AtomicLong PREFIXES = new AtomicLong();

    private static final class Holder {
        static final ElasticMq INSTANCE = new ElasticMq();
    }

    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient client;

    private ElasticMq() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        client = SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(100))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            client.close();
            server.stopAndWait();
        }, "elasticmq-stop"));
    }

    static ElasticMq get() {
        return Holder.INSTANCE;
    }

    URI endpoint() {
        return endpoint;
    }

    SqsClient client() {
        return client;
    }

    /** A queue-name prefix no other test in this JVM uses. */
    static String uniquePrefix() {
        return "t" + PREFIXES.incrementAndGet() + "-";
    }
}
