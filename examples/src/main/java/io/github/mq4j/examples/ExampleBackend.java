package io.github.mq4j.examples;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.Topology;
import io.github.mq4j.postgres.PostgresSettings;
import io.github.mq4j.sqs.ProvisioningReport;
import io.github.mq4j.sqs.SqsBackendProvider;
import io.github.mq4j.sqs.SqsProvisioner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the examples' queues live: the backend {@code QueueFactory.fromEnv()} would choose, or,
 * when nothing is configured, the real SQS backend on an SQS-protocol server (ElasticMQ) started
 * in this process, with the topology's queues provisioned by {@link SqsProvisioner}. So every
 * example runs with nothing installed, and on PostgreSQL or SQS with the usual variables.
 *
 * <p>"Nothing configured" means: {@code MESSAGE_QUEUE_TYPE} is not set, and neither is any
 * variable of the SQS backend (its endpoint, queue prefix, look-up by name, or the URL of any
 * queue of the topology). On PostgreSQL the examples work in schema {@value #POSTGRES_SCHEMA}
 * unless {@code MESSAGE_QUEUE_POSTGRES_SCHEMA} names another, so they never touch an
 * application's queues.
 *
 * <p>Closing closes the client, then the embedded server if one was started. Not thread-safe to
 * open; the client it holds is.
 */
public final class ExampleBackend implements AutoCloseable {
    /** The PostgreSQL schema of the examples unless {@code MESSAGE_QUEUE_POSTGRES_SCHEMA} is set. */
    public static final String POSTGRES_SCHEMA = "mq4j_example";

    private final QueueClient queues;
    private final String description;
    private final boolean scratch;
    private final @Nullable EmbeddedElasticMq embedded;

    private ExampleBackend(QueueClient queues, String description, boolean scratch, @Nullable EmbeddedElasticMq embedded) {
        this.queues = queues;
        this.description = description;
        this.scratch = scratch;
        this.embedded = embedded;
    }

    /** The backend for {@code topology}, configured by the process environment. */
    public static ExampleBackend open(Topology topology) {
        return open(ConfigSource.environment(), topology);
    }

    /**
     * The backend for {@code topology}, configured by {@code config}: what
     * {@link QueueFactory#fromConfig(ConfigSource, Topology)} opens, or an embedded ElasticMQ when
     * {@code config} configures nothing.
     */
    public static ExampleBackend open(ConfigSource config, Topology topology) {
        if (nothingConfigured(config, topology)) {
            return embedded(topology);
        }
        ConfigSource withSchema = config.orElse(ConfigSource.of(Map.of(PostgresSettings.SCHEMA, POSTGRES_SCHEMA)));
        QueueClient queues = QueueFactory.fromConfig(withSchema, topology);
        String schema = withSchema.get(PostgresSettings.SCHEMA).orElseThrow();
        String description = queues.type().equals("postgres")
                ? "the postgres backend on PostgreSQL, schema " + schema
                : "the " + queues.type() + " backend, as the environment configures it";
        boolean scratch = queues.type().equals("memory") || queues.type().equals("postgres") && schema.equals(POSTGRES_SCHEMA);
        return new ExampleBackend(queues, description, scratch, null);
    }

    /** Whether {@code config} sets no backend type and no SQS variable, so the embedded server is used. */
    public static boolean nothingConfigured(ConfigSource config, Topology topology) {
        List<String> variables = new ArrayList<>(List.of(QueueFactory.TYPE_VARIABLE, SqsBackendProvider.ENDPOINT,
                SqsBackendProvider.QUEUE_PREFIX, SqsBackendProvider.RESOLVE_BY_NAME));
        for (QueueSpec spec : topology.queues()) {
            variables.add(SqsBackendProvider.urlVariable(spec.configKey()));
        }
        return variables.stream().allMatch(v -> config.get(v).isEmpty());
    }

    private static ExampleBackend embedded(Topology topology) {
        EmbeddedElasticMq server = EmbeddedElasticMq.start();
        try {
            ProvisioningReport report = SqsProvisioner.builder().client(server.sqs()).build().provision(topology);
            Map<String, String> urls = new HashMap<>();
            for (ProvisioningReport.ProvisionedQueue q : report.queues()) {
                urls.put(SqsBackendProvider.urlVariable(topology.queue(q.queue()).configKey()), q.url());
            }
            QueueClient queues = QueueFactory.builder().type("sqs").topology(topology).config(urls)
                    .option(SqsClient.class, server.sqs())
                    .build();
            return new ExampleBackend(queues, "the SQS backend on an embedded ElasticMQ at " + server.endpoint()
                    + " (nothing configured; set MESSAGE_QUEUE_TYPE to use another backend)", true, server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The client of the examples' queues. */
    public QueueClient queues() {
        return queues;
    }

    /** Where the queues live, for the first line an example prints. */
    public String description() {
        return description;
    }

    /**
     * Whether the queues are the examples' own, so that an example may purge what an interrupted
     * run left: on the embedded server, the memory backend, or PostgreSQL schema
     * {@value #POSTGRES_SCHEMA}. Never an application's queues.
     */
    public boolean isScratch() {
        return scratch;
    }

    /** Whether the queues live on an ElasticMQ started by this process. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        queues.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
