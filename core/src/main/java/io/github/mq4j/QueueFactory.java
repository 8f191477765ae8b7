package io.github.mq4j;

import io.github.mq4j.spi.BackendContext;
import io.github.mq4j.spi.QueueBackend;
import io.github.mq4j.spi.QueueBackendProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates {@link QueueClient}s: from the environment ({@link #fromEnv()}) or programmatically
 * ({@link #builder()}). The backend is chosen by type name and found through
 * {@link java.util.ServiceLoader}, so core depends on no backend module: add
 * {@code mq4j-backend-sqs} or {@code mq4j-backend-postgres} to the classpath to use them.
 *
 * <pre>{@code
 * try (QueueClient queues = QueueFactory.fromEnv()) {
 *     queues.queue("async-jobs").send("{\"job\":\"refresh\"}");
 * }
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class QueueFactory {
    private static final Logger log = LoggerFactory.getLogger(QueueFactory.class);

    /** The variable that selects the backend: {@code sqs}, {@code postgres} or {@code memory}. */
    public static final String TYPE_VARIABLE = "MESSAGE_QUEUE_TYPE";
    /** The backend used when {@link #TYPE_VARIABLE} is not set: {@code sqs}. */
    public static final String DEFAULT_TYPE = "sqs";

    /** The backends this project ships, with the Maven artifact each lives in. */
    private static final Map<String, String> SHIPPED = shipped();

    private QueueFactory() {}

    private static Map<String, String> shipped() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sqs", "io.github.mq4j:mq4j-backend-sqs");
        m.put("postgres", "io.github.mq4j:mq4j-backend-postgres");
        m.put("memory", "io.github.mq4j:mq4j-core");
        return m;
    }

    /**
     * A client for the {@link Topology#defaults() default topology}, configured by the process
     * environment: {@code MESSAGE_QUEUE_TYPE} (default {@code sqs}) and the chosen backend's variables.
     *
     * @throws ConfigurationException if the type is unknown, its backend module is missing, or
     *     variables are missing (all named at once)
     */
    public static QueueClient fromEnv() {
        return fromEnv(Topology.defaults());
    }

    /** A client for {@code topology}, configured by the process environment. */
    public static QueueClient fromEnv(Topology topology) {
        return fromConfig(ConfigSource.environment(), topology);
    }

    /** A client for the default topology, configured by {@code config} instead of the environment. */
    public static QueueClient fromConfig(ConfigSource config) {
        return fromConfig(config, Topology.defaults());
    }

    /** A client for {@code topology}, configured by {@code config} instead of the environment. */
    public static QueueClient fromConfig(ConfigSource config, Topology topology) {
        String type = config.get(TYPE_VARIABLE).orElse(DEFAULT_TYPE);
        return builder().type(type).topology(topology).config(config).build();
    }

    /** A builder for a client configured in code. */
    public static Builder builder() {
        return new Builder();
    }

    /** The backend types whose providers are on the classpath, sorted. */
    public static List<String> availableTypes() {
        return List.copyOf(providers(QueueFactory.class.getClassLoader()).keySet());
    }

    private static Map<String, QueueBackendProvider> providers(ClassLoader loader) {
        Map<String, QueueBackendProvider> found = new TreeMap<>();
        for (QueueBackendProvider p : ServiceLoader.load(QueueBackendProvider.class, loader)) {
            found.putIfAbsent(p.type().toLowerCase(Locale.ROOT), p);
        }
        return found;
    }

    /**
     * Configures a {@link QueueClient} in code. Not thread-safe.
     *
     * <pre>{@code
     * QueueClient queues = QueueFactory.builder()
     *         .type("postgres")
     *         .topology(myTopology)
     *         .option(DataSource.class, dataSource)   // the application's pool; mq4j never closes it
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private @Nullable String type;
        private Topology topology = Topology.defaults();
        private ConfigSource config = ConfigSource.empty();
        private Clock clock = Clock.systemUTC();
        private final Map<Class<?>, Object> options = new LinkedHashMap<>();
        private @Nullable ClassLoader classLoader;

        private Builder() {}

        /** The backend type: {@code sqs}, {@code postgres}, {@code memory} or a third-party type. Required. */
        public Builder type(String value) {
            this.type = Objects.requireNonNull(value, "type").trim().toLowerCase(Locale.ROOT);
            return this;
        }

        /** The queues. Defaults to {@link Topology#defaults()}. */
        public Builder topology(Topology value) {
            this.topology = Objects.requireNonNull(value, "topology");
            return this;
        }

        /** The backend's configuration variables. Defaults to none (not the environment). */
        public Builder config(ConfigSource value) {
            this.config = Objects.requireNonNull(value, "config");
            return this;
        }

        /** The backend's configuration variables, from a map. */
        public Builder config(Map<String, String> variables) {
            return config(ConfigSource.of(variables));
        }

        /**
         * An application-owned object the backend should use instead of creating its own, keyed
         * by its type: a {@code javax.sql.DataSource} for PostgreSQL, an {@code SqsClient} for
         * SQS. The client never closes it.
         */
        public <T> Builder option(Class<T> type, T value) {
            options.put(Objects.requireNonNull(type, "type"), type.cast(Objects.requireNonNull(value, "value")));
            return this;
        }

        /** The clock for backends that keep time themselves (memory). Defaults to the system UTC clock. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Where to look for backend providers. Defaults to the class loader of mq4j-core. */
        public Builder classLoader(ClassLoader value) {
            this.classLoader = Objects.requireNonNull(value, "classLoader");
            return this;
        }

        /**
         * Opens the backend and returns the client.
         *
         * @throws ConfigurationException if no type was given, the type is unknown or its module is
         *     missing, or the backend's settings are missing or malformed
         */
        public QueueClient build() {
            if (type == null || type.isEmpty()) {
                throw new ConfigurationException("no backend type given: call type(...) with one of "
                        + String.join(", ", SHIPPED.keySet()));
            }
            Map<String, QueueBackendProvider> providers =
                    providers(classLoader != null ? classLoader : QueueFactory.class.getClassLoader());
            QueueBackendProvider provider = providers.get(type);
            if (provider == null) {
                throw noProvider(type, providers);
            }
            QueueBackend backend = provider.open(new BackendContext(topology, config, clock, options));
            log.info("mq4j: {} backend opened for queues {}", type, topology.names());
            return new DefaultQueueClient(type, topology, backend);
        }

        private static ConfigurationException noProvider(String type, Map<String, QueueBackendProvider> providers) {
            String onClasspath = providers.isEmpty() ? "none" : String.join(", ", providers.keySet());
            String artifact = SHIPPED.get(type);
            if (artifact != null) {
                return new ConfigurationException(TYPE_VARIABLE + "=" + type + " needs the Maven artifact " + artifact
                        + ", which is not on the classpath; add it as a dependency. Backends on the classpath: " + onClasspath);
            }
            List<String> valid = new ArrayList<>(SHIPPED.keySet());
            for (String t : providers.keySet()) {
                if (!valid.contains(t)) {
                    valid.add(t);
                }
            }
            return new ConfigurationException(TYPE_VARIABLE + "='" + Validation.printable(type) + "' is not a backend type; valid types are "
                    + String.join(", ", valid) + ". Backends on the classpath: " + onClasspath);
        }
    }
}
