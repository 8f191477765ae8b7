package io.github.mq4j.sqs;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.ConfigurationException;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.Topology;
import io.github.mq4j.spi.BackendContext;
import io.github.mq4j.spi.QueueBackend;
import io.github.mq4j.spi.QueueBackendProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;

/**
 * Opens the Amazon SQS backend ({@code MESSAGE_QUEUE_TYPE=sqs}). Registered for
 * {@link java.util.ServiceLoader}; applications use it through {@link io.github.mq4j.QueueFactory}.
 *
 * <p>Configuration (all optional except the queue URLs, see {@code docs/sqs.md}):
 * <ul>
 * <li>{@code MESSAGE_QUEUE_SQS_<KEY>_URL} — the URL of each queue, {@code <KEY>} being its
 *     {@link QueueSpec#configKey()} ({@code ASYNC}, {@code ASYNC_FIFO}, {@code CRONJOBS}, {@code DLQ},
 *     {@code DLQ_FIFO}, {@code EVENTS_INBOX}, {@code IOT}, {@code WEBHOOKS} for the default topology);</li>
 * <li>{@value #QUEUE_PREFIX} — a prefix put before each queue name when a URL is looked up by name;
 *     setting it turns that look-up on;</li>
 * <li>{@value #RESOLVE_BY_NAME} — {@code true} to look up (GetQueueUrl) the URL of each queue that has
 *     no URL variable. Defaults to {@code false}, or {@code true} when a prefix is set;</li>
 * <li>{@value #ENDPOINT} — an endpoint override, for an SQS-compatible server;</li>
 * <li>{@value #AUTO_BATCH} — {@code false} to send each single send and delete in its own request.
 *     Defaults to {@code true};</li>
 * <li>{@value #MAX_CONNECTIONS} — the HTTP connection pool of the client mq4j creates. Defaults to 50.</li>
 * </ul>
 * Region and credentials come from the AWS SDK's default chains ({@code AWS_REGION},
 * {@code AWS_ACCESS_KEY_ID}, profiles, instance roles, …).
 *
 * <p>An application-owned client passed as {@code option(SqsClient.class, …)} (or
 * {@code option(SqsAsyncClient.class, …)}) is used instead of creating one, and never closed.
 *
 * <p>Thread-safe (stateless).
 */
public final class SqsBackendProvider implements QueueBackendProvider {
    private static final Logger log = LoggerFactory.getLogger(SqsBackendProvider.class);

    /** The type name: {@code sqs}. */
    public static final String TYPE = "sqs";
    /** Endpoint override variable. */
    public static final String ENDPOINT = "MESSAGE_QUEUE_SQS_ENDPOINT";
    /** Queue name prefix variable. */
    public static final String QUEUE_PREFIX = "MESSAGE_QUEUE_SQS_QUEUE_PREFIX";
    /** Look-up-by-name switch variable. */
    public static final String RESOLVE_BY_NAME = "MESSAGE_QUEUE_SQS_RESOLVE_BY_NAME";
    /** Automatic batching switch variable. */
    public static final String AUTO_BATCH = "MESSAGE_QUEUE_SQS_AUTO_BATCH";
    /** HTTP connection pool size variable. */
    public static final String MAX_CONNECTIONS = "MESSAGE_QUEUE_SQS_MAX_CONNECTIONS";
    /** The connection pool size of the client mq4j creates unless {@value #MAX_CONNECTIONS} says otherwise. */
    public static final int DEFAULT_MAX_CONNECTIONS = 50;

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public SqsBackendProvider() {}

    /** The name of the variable holding the URL of the queue with this config key. */
    public static String urlVariable(String configKey) {
        return "MESSAGE_QUEUE_SQS_" + configKey + "_URL";
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public QueueBackend open(BackendContext context) {
        ConfigSource config = context.config();
        Topology topology = context.topology();
        Optional<String> prefixVar = config.get(QUEUE_PREFIX);
        String prefix = prefixVar.orElse("");
        boolean byName = bool(config, RESOLVE_BY_NAME, prefixVar.isPresent());
        boolean autoBatch = bool(config, AUTO_BATCH, true);
        int maxConnections = positiveInt(config, MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS);
        @Nullable URI endpoint = config.get(ENDPOINT).map(SqsBackendProvider::endpoint).orElse(null);

        Map<String, String> urls = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (QueueSpec spec : topology.queues()) {
            String variable = urlVariable(spec.configKey());
            Optional<String> url = config.get(variable);
            if (url.isPresent()) {
                checkFifo(spec, variable, url.get(), problems);
                urls.put(spec.name(), url.get());
            } else if (!byName) {
                missing.add(variable);
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException(ConfigurationException.missing("MESSAGE_QUEUE_TYPE=sqs", missing).getMessage()
                    + " (or set " + RESOLVE_BY_NAME + "=true or " + QUEUE_PREFIX + " to look the queues up by name)");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("; ", problems));
        }

        Optional<SqsClient> sync = context.option(SqsClient.class);
        Optional<SqsAsyncClient> async = context.option(SqsAsyncClient.class);
        SqsCalls calls;
        @Nullable SqsClient owned = null;
        if (sync.isPresent()) {
            calls = SqsCalls.of(sync.get());
        } else if (async.isPresent()) {
            calls = SqsCalls.of(async.get());
        } else {
            owned = createClient(endpoint, maxConnections);
            calls = SqsCalls.of(owned);
        }
        try {
            for (QueueSpec spec : topology.queues()) {
                if (!urls.containsKey(spec.name())) {
                    String name = prefix + spec.name();
                    try {
                        urls.put(spec.name(), calls.getQueueUrl(GetQueueUrlRequest.builder().queueName(name).build()).queueUrl());
                    } catch (SdkException e) {
                        String code = SqsErrors.code(e);
                        if (code != null && (code.contains("NonExistentQueue") || code.contains("QueueDoesNotExist"))) {
                            missing.add(urlVariable(spec.configKey()) + " (no SQS queue named '" + name + "')");
                        } else {
                            throw SqsErrors.translate("GetQueueUrl", spec.name(), e);
                        }
                    }
                }
            }
            if (!missing.isEmpty()) {
                throw ConfigurationException.missing("MESSAGE_QUEUE_TYPE=sqs", missing);
            }
            log.info("mq4j sqs: opening {} queues{}{}", urls.size(), prefix.isEmpty() ? "" : " with prefix '" + prefix + "'",
                    endpoint == null ? "" : " at " + endpoint);
            return new SqsBackend(topology, calls, owned, urls, autoBatch);
        } catch (RuntimeException e) {
            if (owned != null) {
                owned.close();
            }
            throw e;
        }
    }

    private static SqsClient createClient(@Nullable URI endpoint, int maxConnections) {
        SqsClientBuilder builder = SqsClient.builder()
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(maxConnections));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        try {
            return builder.build();
        } catch (SdkException e) {
            throw new ConfigurationException("cannot create the SQS client: " + e.getMessage()
                    + " (region and credentials come from the AWS SDK's default chains, e.g. AWS_REGION)", e);
        }
    }

    private static void checkFifo(QueueSpec spec, String variable, String url, List<String> problems) {
        boolean fifoUrl = url.endsWith(".fifo");
        if (spec.fifo() && !fifoUrl) {
            problems.add(variable + " is '" + url + "' but queue '" + spec.name() + "' is FIFO: its SQS URL must end in .fifo");
        } else if (!spec.fifo() && fifoUrl) {
            problems.add(variable + " is '" + url + "' but queue '" + spec.name() + "' is standard: its SQS URL must not end in .fifo");
        }
    }

    private static URI endpoint(String value) {
        if (value.contains("@")) {
            // the value is not repeated: it would hold a key or password
            throw new ConfigurationException(ENDPOINT + " carries user information (…@host); an endpoint is a plain URL such as "
                    + "http://localhost:9324, and credentials come from the AWS SDK's chains (AWS_ACCESS_KEY_ID, …)");
        }
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new ConfigurationException(ENDPOINT + " is '" + value + "'; it must be an absolute URL such as http://localhost:9324");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(ENDPOINT + " is '" + value + "', which is not a URL: " + e.getMessage(), e);
        }
    }

    private static boolean bool(ConfigSource config, String name, boolean defaultValue) {
        Optional<String> v = config.get(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(name + " is '" + v.get() + "'; it must be true or false");
        };
    }

    private static int positiveInt(ConfigSource config, String name, int defaultValue) {
        Optional<String> v = config.get(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(name + " is '" + v.get() + "'; it must be a whole number of at least 1");
    }
}
