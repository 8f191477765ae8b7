package io.github.mq4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.mq4j.recording.BackendCalls;
import io.github.mq4j.recording.RecordingBackendProvider;
import io.github.mq4j.spi.BackendContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link QueueFactory}: choosing the backend by {@code MESSAGE_QUEUE_TYPE} from an injected
 * {@link ConfigSource}, every error it reports, and what it hands the backend. Core's test
 * classpath has no backend module, only the recording test backend (and, once it lands, memory).
 */
class QueueFactoryTest {
    private static final String SQS_ARTIFACT = "io.github.mq4j:mq4j-backend-sqs";
    private static final String POSTGRES_ARTIFACT = "io.github.mq4j:mq4j-backend-postgres";

    private final BackendCalls calls = new BackendCalls();

    private static ConfigSource config(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return ConfigSource.of(m);
    }

    private BackendContext onlyContext() {
        assertThat(calls.contexts()).hasSize(1);
        return calls.contexts().get(0);
    }

    @Test
    void fromConfig_withoutType_defaultsToSqsAndNamesItsMissingArtifact() {
        assertThatThrownBy(() -> QueueFactory.fromConfig(config()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MESSAGE_QUEUE_TYPE=sqs")
                .hasMessageContaining(SQS_ARTIFACT)
                .hasMessageContaining("not on the classpath")
                .hasMessageContaining("Backends on the classpath: ")
                .hasMessageContaining(RecordingBackendProvider.TYPE);
        assertThat(QueueFactory.DEFAULT_TYPE).isEqualTo("sqs");
        assertThat(QueueFactory.TYPE_VARIABLE).isEqualTo("MESSAGE_QUEUE_TYPE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t \n"})
    void fromConfig_blankType_countsAsUnsetAndDefaultsToSqs(String blank) {
        assertThatThrownBy(() -> QueueFactory.fromConfig(config("MESSAGE_QUEUE_TYPE", blank)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MESSAGE_QUEUE_TYPE=sqs")
                .hasMessageContaining(SQS_ARTIFACT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqs", "SQS", " Sqs "})
    void fromConfig_sqsWithoutItsModule_namesTheArtifact(String type) {
        assertThatThrownBy(() -> QueueFactory.fromConfig(config("MESSAGE_QUEUE_TYPE", type)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MESSAGE_QUEUE_TYPE=sqs")
                .hasMessageContaining(SQS_ARTIFACT)
                .hasMessageContaining("add it as a dependency");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "POSTGRES", "  postgres  "})
    void fromConfig_postgresWithoutItsModule_namesTheArtifact(String type) {
        assertThatThrownBy(() -> QueueFactory.fromConfig(config("MESSAGE_QUEUE_TYPE", type)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MESSAGE_QUEUE_TYPE=postgres")
                .hasMessageContaining(POSTGRES_ARTIFACT)
                .hasMessageNotContaining(SQS_ARTIFACT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka", "KAFKA", "rabbit mq", "sqs2"})
    void fromConfig_unknownType_listsTheValidTypesAndTheProvidersOnTheClasspath(String type) {
        assertThatThrownBy(() -> QueueFactory.fromConfig(config("MESSAGE_QUEUE_TYPE", type)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MESSAGE_QUEUE_TYPE='" + type.trim().toLowerCase(Locale.ROOT) + "'")
                .hasMessageContaining("is not a backend type")
                .hasMessageContaining("valid types are sqs, postgres, memory")
                .hasMessageContaining(RecordingBackendProvider.TYPE)
                .hasMessageContaining("Backends on the classpath: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"recording", "RECORDING", " Recording ", "\trecording\n"})
    void fromConfig_typeInAnyCaseWithSurroundingBlanks_isAccepted(String type) {
        try (QueueClient client = QueueFactory.fromConfig(config("MESSAGE_QUEUE_TYPE", type))) {
            assertThat(client.type()).isEqualTo("recording");
            assertThat(client.topology()).isEqualTo(Topology.defaults());
        }
    }

    @Test
    void fromConfig_handsTheVariablesAndTheTopologyToTheBackend() {
        Topology topology = Topology.of(QueueSpec.standard("app-main").build());
        ConfigSource config = name -> switch (name) {
            case "MESSAGE_QUEUE_TYPE" -> "recording";
            case "APP_SETTING" -> " value ";
            default -> null;
        };
        try (QueueClient client = QueueFactory.builder().type("recording").topology(topology).config(config)
                .option(BackendCalls.class, calls).build()) {
            BackendContext context = onlyContext();
            assertThat(context.topology()).isEqualTo(topology);
            assertThat(context.config().get("APP_SETTING")).hasValue("value");
            assertThat(context.config().get("UNSET")).isEmpty();
            assertThat(client.topology()).isEqualTo(topology);
        }
    }

    @Test
    void fromConfig_withTopology_servesThatTopology() {
        Topology topology = Topology.of(QueueSpec.standard("app-high").build(), QueueSpec.standard("app-low").build());
        try (QueueClient client = QueueFactory.fromConfig(config("MESSAGE_QUEUE_TYPE", "recording"), topology)) {
            assertThat(client.topology()).isEqualTo(topology);
            assertThat(client.queue("app-low").name()).isEqualTo("app-low");
        }
    }

    @Test
    void fromEnv_withoutTypeInTheEnvironment_defaultsToSqs() {
        assumeThat(System.getenv("MESSAGE_QUEUE_TYPE")).as("MESSAGE_QUEUE_TYPE unset in this environment").isNull();
        assertThatThrownBy(QueueFactory::fromEnv).isInstanceOf(ConfigurationException.class).hasMessageContaining(SQS_ARTIFACT);
    }

    @Test
    void builder_withoutType_isAnErrorListingTheTypes() {
        assertThatThrownBy(() -> QueueFactory.builder().build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no backend type")
                .hasMessageContaining("sqs, postgres, memory");
        assertThatThrownBy(() -> QueueFactory.builder().type("  ").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no backend type");
    }

    @Test
    void builder_configDefaultsToNoVariablesNotTheEnvironment() {
        try (QueueClient client = QueueFactory.builder().type("recording").option(BackendCalls.class, calls).build()) {
            assertThat(client.type()).isEqualTo("recording");
            assertThat(onlyContext().config().raw("PATH")).isNull();
            assertThat(onlyContext().topology()).isEqualTo(Topology.defaults());
        }
    }

    @Test
    void builder_configMap_reachesTheBackend() {
        try (QueueClient client = QueueFactory.builder().type("recording").config(Map.of("A", "1"))
                .option(BackendCalls.class, calls).build()) {
            assertThat(client.type()).isEqualTo("recording");
            assertThat(onlyContext().config().get("A")).hasValue("1");
        }
    }

    /** An application-owned object, as a DataSource or SqsClient would be. */
    private record AppOwned(String name) {}

    @Test
    void builder_option_reachesTheBackendContextAsTheSameInstance() {
        AppOwned owned = new AppOwned("pool");
        try (QueueClient client = QueueFactory.builder().type("recording").option(AppOwned.class, owned)
                .option(BackendCalls.class, calls).build()) {
            assertThat(client.type()).isEqualTo("recording");
            assertThat(onlyContext().option(AppOwned.class)).containsSame(owned);
            assertThat(onlyContext().option(String.class)).isEmpty();
        }
    }

    @Test
    void builder_clock_reachesTheBackendContext() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        try (QueueClient client = QueueFactory.builder().type("recording").clock(clock).option(BackendCalls.class, calls).build()) {
            assertThat(client.type()).isEqualTo("recording");
            assertThat(onlyContext().clock()).isSameAs(clock);
        }
    }

    @Test
    void builder_classLoaderWithoutProviders_saysNoneAreOnTheClasspath() {
        ClassLoader empty = new ClassLoader(null) {};
        assertThatThrownBy(() -> QueueFactory.builder().type("sqs").classLoader(empty).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(SQS_ARTIFACT)
                .hasMessageContaining("Backends on the classpath: none");
        assertThatThrownBy(() -> QueueFactory.builder().type("recording").classLoader(empty).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'recording' is not a backend type")
                .hasMessageContaining("Backends on the classpath: none");
    }

    @Test
    void availableTypes_listsTheProvidersOnTheClasspath() {
        assertThat(QueueFactory.availableTypes()).contains("recording").isSorted();
    }

    @Test
    void close_twice_closesTheBackendOnce() {
        QueueClient client = QueueFactory.builder().type("recording").option(BackendCalls.class, calls).build();
        client.close();
        client.close();
        assertThat(calls.count("close")).isEqualTo(1);
        assertThat(client.toString()).contains("recording").contains("closed");
    }

    @Test
    void queue_afterClose_isAnIllegalStateException() {
        QueueClient client = QueueFactory.builder().type("recording").option(BackendCalls.class, calls).build();
        client.close();
        assertThatThrownBy(() -> client.queue("async-jobs")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void queue_unknownName_listsTheKnownOnes() {
        try (QueueClient client = QueueFactory.builder().type("recording").build()) {
            UnknownQueueException e = (UnknownQueueException) Rejections.assertRejected("queue", () -> client.queue("async"),
                    "'async'", "async-jobs, async-jobs.fifo, cronjobs, dlq, dlq.fifo, events-inbox, iot, webhooks");
            assertThat(e.knownQueues()).isEqualTo(Topology.defaults().names());
        }
    }

    @Test
    void queue_null_isRejected() {
        try (QueueClient client = QueueFactory.builder().type("recording").build()) {
            Rejections.assertRejected("queue", () -> client.queue(null), "null");
        }
    }

    @Test
    void queue_returnsTheSameQueueWithItsSpec() {
        try (QueueClient client = QueueFactory.builder().type("recording").build()) {
            MessageQueue q = client.queue("iot");
            assertThat(client.queue("iot")).isSameAs(q);
            assertThat(q.spec()).isEqualTo(Topology.defaults().queue("iot"));
            assertThat(q.toString()).contains("iot");
        }
    }

    @Test
    void configurationExceptionMissing_namesEveryMissingVariableAtOnce() {
        assertThat(ConfigurationException.missing("sqs backend", List.of("MESSAGE_QUEUE_SQS_IOT_URL")))
                .hasMessage("sqs backend needs this variable, which is not set: MESSAGE_QUEUE_SQS_IOT_URL");
        assertThat(ConfigurationException.missing("sqs backend", List.of("A_URL", "B_URL", "C_URL")))
                .hasMessage("sqs backend needs these variables, which are not set: A_URL, B_URL, C_URL");
    }
}
