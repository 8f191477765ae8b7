package io.github.mq4j.testkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.QueueStats;
import io.github.mq4j.Topology;
import io.github.mq4j.worker.Worker;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Network faults between the library and its server, on a backend: producers send and a
 * {@link Worker} consumes while a {@link FaultProxy} cuts the connections again and again, or
 * makes the server unreachable for 10 seconds; a {@link MessageLedger} accounts for every
 * message. Each scenario asserts that no confirmed send is lost, that no FIFO group is handled out
 * of order, that no message runs in two handlers at once (by message id; on a standard queue a
 * send that the client library retried after the server had stored it leaves two messages with one
 * body, which may well run at once), that every failed send failed with the
 * library's own exception naming the queue, and that the same client and worker go on sending and
 * handling after the fault, without a restart. Duplicates (which at-least-once allows after a
 * failure) are counted and printed with the other figures, one line per scenario starting with
 * {@code [faults]}.
 *
 * <p>Subclass it once per backend with a {@link FaultFixture}:
 *
 * <pre>{@code
 * class PostgresNetworkFaultTest extends NetworkFaultContract {
 *     protected FaultFixture fixture() {
 *         return new PostgresFaultFixture();
 *     }
 * }
 * }</pre>
 *
 * <p>Runs in real time: about 20 to 30 seconds a scenario.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class NetworkFaultContract {
    /** The standard queue of the scenarios. */
    public static final String QUEUE = "faults";
    /** The FIFO queue of the scenarios. */
    public static final String FIFO_QUEUE = "faults.fifo";
    /** The visibility timeout of both queues: a message whose receive or delete a fault lost comes back after it. */
    public static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(5);
    /** How long the server is unreachable in the outage scenarios. */
    public static final Duration OUTAGE = Duration.ofSeconds(10);

    private static final int PRODUCERS = 2;
    private static final int GROUPS_PER_PRODUCER = 3;
    private static final Duration SEND_PAUSE = Duration.ofMillis(5);
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    /** The shortest and the longest wait between two cuts when connections are cut repeatedly. */
    private static final Duration CUT_GAP_MIN = Duration.ofMillis(300);
    private static final Duration CUT_GAP_MAX = Duration.ofMillis(500);
    /** How long producers go on sending after a fault, before they stop. */
    private static final Duration AFTER_FAULT = Duration.ofSeconds(3);
    /** How long the library may take to send and handle again once the fault is over. */
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(60);
    /** How long every confirmed send may take to be handled once the producers stopped. */
    private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(90);

    private @Nullable FaultProxy proxy;
    private @Nullable QueueClient client;
    private @Nullable Worker worker;
    private @Nullable Producers producers;
    private String scenario = "";
    /** Handlers running now, by message id (the ledger counts by body, which a send the client retried may store twice). */
    private final Map<String, Integer> running = new ConcurrentHashMap<>();
    private final Set<String> sameMessageAtOnce = ConcurrentHashMap.newKeySet();

    /**
     * The backend under test. Called once per test; may return a shared instance.
     *
     * @return the fixture that opens clients of the backend through an address of the test's choosing
     */
    protected abstract FaultFixture fixture();

    /** The queues of the scenarios: {@link #QUEUE} and {@link #FIFO_QUEUE}, without dead-letter queues. */
    public static Topology topology() {
        return Topology.of(
                QueueSpec.standard(QUEUE).visibilityTimeout(VISIBILITY_TIMEOUT).build(),
                QueueSpec.fifo(FIFO_QUEUE).visibilityTimeout(VISIBILITY_TIMEOUT).build());
    }

    @BeforeEach
    final void open(TestInfo info) {
        scenario = info.getTestMethod().map(m -> m.getName()).orElse("?");
        FaultFixture fixture = Objects.requireNonNull(fixture(), "fixture() returned null");
        proxy = FaultProxy.start(fixture.server());
        client = Objects.requireNonNull(fixture.open(topology(), proxy.address()), "fixture.open returned null");
    }

    @AfterEach
    final void close() {
        if (producers != null) {
            producers.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (client != null) {
            client.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void connectionsCutRepeatedly_loseNothing_andTheClientGoesOn() throws InterruptedException {
        MessageLedger ledger = start(QUEUE);
        pause(WARM_UP);
        proxy().cutRepeatedly(Duration.ofSeconds(6), CUT_GAP_MIN, CUT_GAP_MAX);
        recoverAndCheck(ledger, QUEUE);
    }

    @Test
    void serverUnreachableTenSeconds_losesNothingSentBefore_andTheClientRecovers() throws InterruptedException {
        MessageLedger ledger = start(QUEUE);
        pause(WARM_UP);
        proxy().outage(OUTAGE);
        recoverAndCheck(ledger, QUEUE);
    }

    @Test
    void fifo_cutsAndAnOutage_keepTheOrderWithinEachGroup() throws InterruptedException {
        MessageLedger ledger = start(FIFO_QUEUE);
        pause(WARM_UP);
        proxy().cutRepeatedly(Duration.ofSeconds(4), CUT_GAP_MIN, CUT_GAP_MAX);
        proxy().outage(OUTAGE);
        recoverAndCheck(ledger, FIFO_QUEUE);
    }

    // ---------------------------------------------------------------- the parts of a scenario

    /** A ledger, a worker on {@code queueName} recording into it, and producers sending to it. */
    private MessageLedger start(String queueName) {
        MessageLedger ledger = new MessageLedger(UUID.randomUUID().toString().substring(0, 8));
        MessageQueue queue = client().queue(queueName);
        worker = Worker.builder().name("faults").concurrency(8).pollWaitTime(Duration.ofSeconds(2))
                .shutdownTimeout(Duration.ofSeconds(10))
                .subscribe(queue, (m, c) -> {
                    ledger.begin(m.body());
                    if (running.merge(m.messageId(), 1, Integer::sum) > 1) {
                        sameMessageAtOnce.add(m.messageId());
                    }
                    try {
                        pause(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 4)));
                    } finally {
                        running.computeIfPresent(m.messageId(), (k, n) -> n == 1 ? null : n - 1);
                        ledger.end(m.body());
                    }
                })
                .build();
        worker.start();
        producers = Producers.start(queue, ledger, PRODUCERS, GROUPS_PER_PRODUCER, SEND_PAUSE);
        return ledger;
    }

    /**
     * After the fault: waits for the same client to send and the same worker to handle again, lets
     * the producers go on for {@link #AFTER_FAULT}, stops them, waits until every confirmed send is
     * handled and the queue is empty, then prints the figures and checks them.
     */
    private void recoverAndCheck(MessageLedger ledger, String queueName) {
        long faultEnded = System.nanoTime();
        long sentAtEnd = producers().confirmed();
        int handledAtEnd = ledger.handledCount();
        await(() -> producers().confirmed() > sentAtEnd, RECOVERY_DEADLINE,
                () -> "a send to succeed after the fault; last failure: " + producers().lastFailure());
        double sendsBackAfter = seconds(System.nanoTime() - faultEnded);
        await(() -> ledger.handledCount() > handledAtEnd, RECOVERY_DEADLINE, () -> "a message to be handled after the fault");
        double handlingBackAfter = seconds(System.nanoTime() - faultEnded);
        pause(AFTER_FAULT);
        producers().close();
        long sentAfterFault = producers().confirmed() - sentAtEnd;

        await(ledger::allSentHandled, DRAIN_DEADLINE, () -> "every confirmed send to be handled: " + ledger.report());
        MessageQueue queue = client().queue(queueName);
        await(() -> {
            QueueStats s = queue.stats();
            return s.visible() + s.inFlight() + s.delayed() == 0;
        }, DRAIN_DEADLINE, () -> "the queue to be empty (redeliveries handled): " + queue.stats());
        MessageLedger.Report report = ledger.report();
        System.out.printf(Locale.ROOT, "[faults] %s %s: sent %d, handled %d, duplicates %d, lost %d, order violations %d,"
                + " bodies handled twice at once %d; longest send %.1f s; failed sends %d (uncertain %d, of which handled"
                + " %d); connections accepted %d, cut %d; sends back %.1f s and handling back %.1f s after the fault;"
                + " %d sends after it%n",
                getClass().getSimpleName(), scenario, report.sent(), report.handled(), report.duplicates(),
                report.lost().size(), report.orderViolations().size(), report.concurrentHandlings().size(),
                producers().longestSend().toMillis() / 1000.0,
                producers().failed(), report.uncertain(), report.uncertainHandled(), proxy().accepted(), proxy().cut(),
                sendsBackAfter, handlingBackAfter, sentAfterFault);

        assertThat(report.lost()).as("confirmed sends never handled").isEmpty();
        assertThat(report.orderViolations()).as("FIFO order violations").isEmpty();
        assertThat(sameMessageAtOnce).as("messages (by message id) handled by two handlers at once").isEmpty();
        if (queue.spec().fifo()) {
            // a FIFO send carries its body as deduplication id: a body is stored once however often it is retried
            assertThat(report.concurrentHandlings()).as("bodies handled by two handlers at once").isEmpty();
        }
        assertThat(report.foreign()).as("messages of no send of this run").isEmpty();
        assertThat(producers().unexpectedErrors()).as("send failures that are not the library's exception naming the queue")
                .isEmpty();
        assertThat(sentAfterFault).as("sends confirmed after the fault").isPositive();
        assertThat(worker().isRunning()).as("the worker still running").isTrue();
    }

    // ---------------------------------------------------------------- helpers

    private FaultProxy proxy() {
        return Objects.requireNonNull(proxy, "no proxy");
    }

    private QueueClient client() {
        return Objects.requireNonNull(client, "no client");
    }

    private Worker worker() {
        return Objects.requireNonNull(worker, "no worker");
    }

    private Producers producers() {
        return Objects.requireNonNull(producers, "no producers");
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Polls {@code condition} every 50 ms until it holds; fails the test after {@code max}. */
    private static void await(BooleanSupplier condition, Duration max, Supplier<String> what) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("timed out after " + max.toSeconds() + " s waiting for " + what.get(), e);
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + max.toSeconds() + " s waiting for " + what.get());
            }
            pause(Duration.ofMillis(50));
        }
    }
}
