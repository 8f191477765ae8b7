package io.github.mq4j.examples;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.Topology;
import io.github.mq4j.postgres.TransactionalSender;
import io.github.mq4j.sqs.ProvisioningReport;
import io.github.mq4j.sqs.SqsProvisioner;
import io.github.mq4j.worker.BackoffPolicy;
import io.github.mq4j.worker.MessageHandler;
import io.github.mq4j.worker.SubscriptionOptions;
import io.github.mq4j.worker.Worker;
import io.github.mq4j.worker.micrometer.MicrometerWorkerListener;
import io.github.mq4j.worker.micrometer.QueueStatsGauges;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The code shown in README.md and docs/ that is not part of a runnable example, kept here so
 * that it compiles: each {@code snippet-start}/{@code snippet-end} region is the text of one code
 * block, and {@code DocSnippetsTest} fails when a block and its region differ. The methods are
 * not meant to be called.
 */
final class DocSnippets {
    private DocSnippets() {}

    static void quickStart(CountDownLatch shutdown) throws InterruptedException {
        // snippet-start: quick-start
        try (QueueClient queues = QueueFactory.fromEnv()) {          // MESSAGE_QUEUE_TYPE=sqs|postgres|memory
            queues.queue("async-jobs").send("{\"job\":\"refresh\"}");
            queues.queue("async-jobs.fifo").send(                    // ordered per message group
                    OutgoingMessage.builder("{\"build\":42}").groupId("build-7-12").build());

            Worker worker = Worker.builder()                         // handlers, not polling loops
                    .concurrency(8)
                    .subscribe(queues.queue("webhooks"), (message, context) -> handleWebhook(message.body()))
                    .subscribe(queues.queue("async-jobs"), (message, context) -> runJob(message.body()))
                    .build();
            worker.start();   // deletes each message when its handler returns; a handler that throws is
                              // retried with backoff and, after 3 receives, lands in dlq
            shutdown.await(); // until the application stops
            worker.close();   // stops receiving, lets running handlers finish, flushes deletes
        }
        // snippet-end: quick-start
    }

    private static void handleWebhook(String body) {
        System.out.println("webhook " + body);
    }

    private static void runJob(String body) {
        System.out.println("job " + body);
    }

    static QueueClient postgresWithApplicationPool(DataSource applicationDataSource) {
        // snippet-start: postgres-datasource
        QueueClient client = QueueFactory.builder().type("postgres")
                .option(DataSource.class, applicationDataSource)
                .config(ConfigSource.environment())   // schema etc.; no URL needed
                .build();
        // snippet-end: postgres-datasource
        return client;
    }

    static void transactionalSend(QueueClient client, DataSource dataSource, long order) throws SQLException {
        // snippet-start: postgres-transactional-send
        TransactionalSender outbox = TransactionalSender.create(client.topology(), "mq4j");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            insertOrder(c, order);
            outbox.send(c, "async-jobs", OutgoingMessage.of("{\"order\":42}"));
            c.commit();          // the order and the message, or neither
        }
        // snippet-end: postgres-transactional-send
    }

    private static void insertOrder(Connection c, long order) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO orders (id) VALUES (?)")) {
            insert.setLong(1, order);
            insert.executeUpdate();
        }
    }

    static QueueClient sqsWithApplicationClient(SqsClient sqsClient) {
        // snippet-start: sqs-application-client
        QueueClient queues = QueueFactory.builder()
                .type("sqs")
                .config(ConfigSource.environment())
                .option(SqsClient.class, sqsClient)      // or option(SqsAsyncClient.class, asyncClient)
                .build();
        // snippet-end: sqs-application-client
        return queues;
    }

    static void provision(SqsClient sqsClient) {
        // snippet-start: sqs-provisioning
        ProvisioningReport report = SqsProvisioner.builder()
                .client(sqsClient)
                .queueNamePrefix("staging-")          // optional, the same as MESSAGE_QUEUE_SQS_QUEUE_PREFIX
                .build()
                .provision(Topology.defaults());
        report.queues().forEach(q -> System.out.println(q.queue() + " " + q.status() + " " + q.url()));
        // snippet-end: sqs-provisioning
    }

    static void worker(MessageHandler webhookHandler, MessageHandler jobHandler, MessageHandler orderedHandler) {
        // snippet-start: worker
        QueueClient queues = QueueFactory.fromEnv();
        Worker worker = Worker.builder()
                .name("app")
                .concurrency(8)                                              // slots shared by the next two
                .subscribe(queues.queue("webhooks"), webhookHandler)         // served first
                .subscribe(queues.queue("async-jobs"), jobHandler)
                .subscribe(queues.queue("async-jobs.fifo"), orderedHandler,
                        SubscriptionOptions.builder().concurrency(4)         // slots of its own
                                .backoff(BackoffPolicy.exponential(Duration.ofSeconds(5), Duration.ofMinutes(10)))
                                .build())
                .build();
        worker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { worker.close(); queues.close(); }, "app-shutdown"));
        // snippet-end: worker
    }

    static QueueClient builderOptions(SqsClient sqsClient) {
        // snippet-start: configuration-builder
        QueueClient queues = QueueFactory.builder()
                .type("sqs")                                  // required: sqs, postgres, memory
                .topology(Topology.of(                        // default: Topology.defaults(), the eight queues
                        QueueSpec.standard("app-main").deadLetter("app-dlq", 5).build(),
                        QueueSpec.standard("app-dlq").retention(Duration.ofDays(14)).build()))
                .config(ConfigSource.environment())           // default: no variables at all
                .option(SqsClient.class, sqsClient)           // an object of the application's; never closed
                .build();
        // snippet-end: configuration-builder
        return queues;
    }

    static QueueStatsGauges metrics(QueueClient queues, MeterRegistry registry, MessageHandler handler) {
        // snippet-start: metrics
        QueueStatsGauges gauges = new QueueStatsGauges(         // depth and age of every queue, read every 30 s
                queues.topology().names().stream().map(queues::queue).toList());
        gauges.bindTo(registry);                                // close() it before the QueueClient
        Worker worker = Worker.builder()
                .listener(new MicrometerWorkerListener(registry))  // received, succeeded, retried, dead-lettered, ...
                .subscribe(queues.queue("async-jobs"), handler)
                .build();
        // snippet-end: metrics
        worker.close();
        return gauges;
    }

    static void switchBackends(MessageQueue jobs) {
        // snippet-start: migrating-send
        // before: sqs.sendMessage(b -> b.queueUrl(System.getenv("JOBS_QUEUE_URL")).messageBody(body)
        //                              .messageGroupId("tenant-42").messageDeduplicationId(id));
        jobs.send(OutgoingMessage.builder("{\"job\":\"sync\"}")
                .groupId("tenant-42")                   // FIFO queues only
                .deduplicationId("sync-42-2026-11-22")  // optional; content-based deduplication otherwise
                .build());
        // snippet-end: migrating-send
    }
}
