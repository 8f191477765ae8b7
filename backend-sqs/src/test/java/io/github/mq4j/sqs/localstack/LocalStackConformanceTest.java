package io.github.mq4j.sqs.localstack;

import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.Topology;
import io.github.mq4j.sqs.SqsBackendProvider;
import io.github.mq4j.sqs.SqsProvisioner;
import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.BatchContract;
import io.github.mq4j.testkit.ClosedClientContract;
import io.github.mq4j.testkit.ConcurrencyContract;
import io.github.mq4j.testkit.DeadLetterContract;
import io.github.mq4j.testkit.DeduplicationContract;
import io.github.mq4j.testkit.DelayContract;
import io.github.mq4j.testkit.FifoOrderingContract;
import io.github.mq4j.testkit.KnownGap;
import io.github.mq4j.testkit.LimitsContract;
import io.github.mq4j.testkit.LongPollingContract;
import io.github.mq4j.testkit.PurgeContract;
import io.github.mq4j.testkit.RedriveContract;
import io.github.mq4j.testkit.RetentionContract;
import io.github.mq4j.testkit.SendReceiveDeleteContract;
import io.github.mq4j.testkit.StatsContract;
import io.github.mq4j.testkit.UnknownQueueContract;
import io.github.mq4j.testkit.VisibilityAndReceiptsContract;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole conformance suite on LocalStack, opt-in: {@code -Plocalstack} (which sets
 * {@code mq4j.localstack=true}) and Docker. Without Docker it is skipped
 * ({@code disabledWithoutDocker}); without the profile it is not enabled.
 */
@EnabledIfSystemProperty(named = "mq4j.localstack", matches = "true")
@Testcontainers(disabledWithoutDocker = true)
class LocalStackConformanceTest {

    /** One LocalStack container and client per JVM, started on first use. */
    private static final class Server {
        static final Server INSTANCE = new Server();
        final LocalStackContainer container;
        final SqsClient client;

        private Server() {
            container = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
                    .withServices(LocalStackContainer.Service.SQS);
            container.start();
            client = SqsClient.builder()
                    .endpointOverride(container.getEndpointOverride(LocalStackContainer.Service.SQS))
                    .region(Region.of(container.getRegion()))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey())))
                    .build();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                client.close();
                container.stop();
            }, "localstack-stop"));
        }
    }

    /** Opens clients on freshly provisioned LocalStack queues under a new prefix; time passes by sleeping. */
    static final class LocalStackFixture implements BackendFixture {
        private static final AtomicLong PREFIXES = new AtomicLong();

        @Override
        public QueueClient open(Topology topology) {
            SqsClient client = Server.INSTANCE.client;
            String prefix = "ls" + PREFIXES.incrementAndGet() + "-";
            SqsProvisioner.builder().client(client).queueNamePrefix(prefix).build().provision(topology);
            return QueueFactory.builder().type("sqs").topology(topology)
                    .config(Map.of(SqsBackendProvider.QUEUE_PREFIX, prefix))
                    .option(SqsClient.class, client).build();
        }

        @Override
        public void advance(Duration amount) {
            try {
                Thread.sleep(amount.plusMillis(300).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while letting time pass", e);
            }
        }

        @Override
        public Map<KnownGap, String> knownGaps() {
            return Map.of(KnownGap.OLDEST_MESSAGE_AGE, "SQS reports the age of the oldest message only to CloudWatch");
        }
    }

    private static final BackendFixture FIXTURE = new LocalStackFixture();

    @Nested
    class SendReceiveDelete extends SendReceiveDeleteContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class VisibilityAndReceipts extends VisibilityAndReceiptsContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class Delay extends DelayContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class FifoOrdering extends FifoOrderingContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class Deduplication extends DeduplicationContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class DeadLetter extends DeadLetterContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class Redrive extends RedriveContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class Retention extends RetentionContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class LongPolling extends LongPollingContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class Batch extends BatchContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class Limits extends LimitsContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class Stats extends StatsContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class Purge extends PurgeContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class Concurrency extends ConcurrencyContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class ClosedClient extends ClosedClientContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }

    @Nested
    class UnknownQueue extends UnknownQueueContract {
        @Override
        protected BackendFixture fixture() {
            return FIXTURE;
        }
    }
}
