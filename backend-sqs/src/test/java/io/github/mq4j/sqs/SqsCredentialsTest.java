package io.github.mq4j.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mq4j.BackendException;
import io.github.mq4j.ConfigurationException;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.Topology;
import io.github.mq4j.testkit.security.LogCapture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The AWS secret key, given through the SDK's default chain (here its system properties, as the
 * environment variables would), never reaches logs at any level, exception messages and causes, or
 * toString — in a normal life on ElasticMQ and when calls fail.
 */
class SqsCredentialsTest {
    private static final String ACCESS_KEY = "AKIAMQ4JTESTKEY00001";
    private static final String SECRET_KEY = "mq4jSecretKey/DoNotLog+0123456789abcdefXYZ";
    private static final Map<String, String> AWS_PROPERTIES = Map.of(
            "aws.accessKeyId", ACCESS_KEY, "aws.secretAccessKey", SECRET_KEY, "aws.region", "us-east-1");
    private static final Topology TOPOLOGY = Topology.of(QueueSpec.standard("jobs").build());

    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void setCredentials() {
        AWS_PROPERTIES.forEach((k, v) -> {
            saved.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
    }

    @AfterEach
    void restoreCredentials() {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    @Test
    void theSdksDefaultChain_givesTheSecretKeyOfTheseTests() {
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
            assertThat(chain.resolveCredentials().secretAccessKey()).isEqualTo(SECRET_KEY);
        }
    }

    @Test
    void secretKey_neverLoggedNorShown_duringALife() {
        String prefix = ElasticMq.uniquePrefix();
        SqsProvisioner.builder().client(ElasticMq.get().client()).queueNamePrefix(prefix).build().provision(TOPOLOGY);
        Map<String, String> config = Map.of(SqsBackendProvider.ENDPOINT, ElasticMq.get().endpoint().toString(),
                SqsBackendProvider.QUEUE_PREFIX, prefix);
        try (LogCapture logs = LogCapture.start()) {
            try (QueueClient client = QueueFactory.builder().type("sqs").topology(TOPOLOGY).config(config).build()) {
                client.queue("jobs").send("x");
                List<ReceivedMessage> got = client.queue("jobs").receive(ReceiveRequest.of(1, Duration.ofSeconds(5)));
                assertThat(got).hasSize(1);
                client.queue("jobs").delete(got.get(0));
                assertThat(client.toString()).doesNotContain(SECRET_KEY);
            }
            assertThat(logs.text()).contains("mq4j sqs").doesNotContain(SECRET_KEY);
        }
    }

    @Test
    void secretKey_neverInTheErrorsOfFailedCalls() {
        Map<String, Map<String, String>> failures = Map.of(
                "queue that does not exist", Map.of(SqsBackendProvider.ENDPOINT, ElasticMq.get().endpoint().toString(),
                        SqsBackendProvider.urlVariable("JOBS"), ElasticMq.get().endpoint() + "/000000000000/no-such-queue"),
                "unreachable endpoint", Map.of(SqsBackendProvider.ENDPOINT, "http://127.0.0.1:1",
                        SqsBackendProvider.urlVariable("JOBS"), "http://127.0.0.1:1/000000000000/jobs"));
        failures.forEach((what, config) -> {
            try (LogCapture logs = LogCapture.start()) {
                Throwable e;
                try (QueueClient client = QueueFactory.builder().type("sqs").topology(TOPOLOGY).config(config).build()) {
                    e = catchThrowable(() -> client.queue("jobs").send("x"));
                }
                assertThat(e).as(what).isInstanceOf(BackendException.class);
                assertThat(LogCapture.fullText(e)).as(what).doesNotContain(SECRET_KEY);
                assertThat(logs.text()).as(what).doesNotContain(SECRET_KEY);
            }
        });
    }

    @Test
    void endpointWithUserInformation_isAConfigurationErrorThatDoesNotRepeatIt() {
        for (String endpoint : new String[] {"http://" + ACCESS_KEY + ":" + SECRET_KEY + "@127.0.0.1:9324",
                "http://" + SECRET_KEY + "@127.0.0.1:9324", "not a url " + SECRET_KEY + "@"}) {
            try (LogCapture logs = LogCapture.start()) {
                Throwable e = catchThrowable(() -> QueueFactory.builder().type("sqs").topology(TOPOLOGY)
                        .config(Map.of(SqsBackendProvider.ENDPOINT, endpoint, SqsBackendProvider.urlVariable("JOBS"),
                                "http://127.0.0.1:9324/000000000000/jobs")).build());

                assertThat(e).isInstanceOf(ConfigurationException.class).hasMessageContaining(SqsBackendProvider.ENDPOINT);
                assertThat(LogCapture.fullText(e)).doesNotContain(SECRET_KEY);
                assertThat(logs.text()).doesNotContain(SECRET_KEY);
            }
        }
    }
}
