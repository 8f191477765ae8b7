package io.github.mq4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import io.github.mq4j.BatchResult;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.SendResult;
import io.github.mq4j.Topology;
import io.github.mq4j.ValidationException;
import io.github.mq4j.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every contract class: opens a fresh client on {@link TestTopology} before each test
 * and closes it after, and offers the helpers the contracts share. A backend does not subclass
 * this class directly but each contract class (see the package documentation).
 *
 * <p>Helpers never sleep: they poll with a deadline ({@link #deadline()}), so a real backend whose
 * messages take a moment to show gets that moment and a fast one is not slowed down. Time that a
 * test needs to pass goes through {@link #advance(Duration)}.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class ConformanceTest {

    /** How long helpers poll for an expected outcome before failing the test, unless {@link #deadline()} says otherwise: 15 s. */
    protected static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(15);
    /** The visibility timeout with which collecting helpers hold what they received: 60 s. */
    protected static final Duration HOLD = Duration.ofSeconds(60);
    /** The wait time of one receive while a helper polls: 1 s. */
    protected static final Duration POLL_WAIT = Duration.ofSeconds(1);
    /** How far a backend timestamp may lie from {@link BackendFixture#now()}. */
    protected static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(1);

    private @Nullable BackendFixture fixture;
    private @Nullable QueueClient client;
    private final List<Worker> workers = new ArrayList<>();

    /**
     * The backend under test. Called once per test; may return a shared instance.
     *
     * @return the fixture that opens clients of the backend and makes its time pass
     */
    protected abstract BackendFixture fixture();

    /**
     * How long helpers poll for an expected outcome (a message to arrive, stats to settle) before
     * failing the test. Defaults to {@link #DEFAULT_DEADLINE}; a very slow backend may return more.
     */
    protected Duration deadline() {
        return DEFAULT_DEADLINE;
    }

    /** The topology each test's client is opened on: {@link TestTopology#topology()}. */
    protected final Topology topology() {
        return TestTopology.topology();
    }

    @BeforeEach
    final void openClient() {
        fixture = Objects.requireNonNull(fixture(), "fixture() returned null");
        client = Objects.requireNonNull(fixture.open(topology()), "fixture.open returned null");
    }

    @AfterEach
    final void closeClient() {
        closeWorkersNow();
        if (client != null) {
            client.close();
        }
    }

    /** Builds and starts a worker; it is closed after the test, before the client. */
    protected final Worker startWorker(Worker.Builder builder) {
        Worker w = builder.build();
        workers.add(w);
        w.start();
        return w;
    }

    /** Closes the workers started so far (running handlers finish, deletes are flushed); closing again is harmless. */
    protected final void closeWorkersNow() {
        for (Worker w : workers) {
            w.close();
        }
    }

    /** The client of the running test. */
    protected final QueueClient client() {
        return Objects.requireNonNull(client, "no client: called outside a test");
    }

    /** The fixture of the running test. */
    protected final BackendFixture backend() {
        return Objects.requireNonNull(fixture, "no fixture: called outside a test");
    }

    /** The queue named {@code name} of the running test's client. */
    protected final MessageQueue queue(String name) {
        return client().queue(name);
    }

    // ---------------------------------------------------------------- time and gaps

    /**
     * Makes {@code amount} pass for the backend; aborts the test (reported as skipped, with the
     * reason) if the fixture cannot advance that far in one step.
     */
    protected final void advance(Duration amount) {
        assumeCanAdvance(amount);
        backend().advance(amount);
    }

    /** Aborts the test, with the reason, unless the fixture can advance by {@code amount} in one step. */
    protected final void assumeCanAdvance(Duration amount) {
        Duration max = backend().maxAdvance();
        Assumptions.assumeTrue(amount.compareTo(max) <= 0, () -> "this test needs time to pass by " + amount
                + " in one step; the fixture advances at most " + max + " (BackendFixture.maxAdvance())");
    }

    /** Whether the backend has declared {@code gap}. */
    protected final boolean hasGap(KnownGap gap) {
        return backend().knownGaps().containsKey(gap);
    }

    /** Aborts the test with the fixture's reason if the backend has declared {@code gap}. */
    protected final void assumeNoGap(KnownGap gap) {
        String reason = backend().knownGaps().get(gap);
        Assumptions.assumeTrue(reason == null, () -> "known gap " + gap + " of this backend: " + reason);
    }

    // ---------------------------------------------------------------- sending

    /** Sends each body as a message of its own, in order, and returns the results. */
    protected final List<SendResult> send(MessageQueue queue, String... bodies) {
        List<SendResult> results = new ArrayList<>(bodies.length);
        for (String body : bodies) {
            results.add(queue.send(body));
        }
        return results;
    }

    /**
     * Sends {@code count} messages with bodies {@code prefix-0}, {@code prefix-1}, … in batches of
     * 10, asserts that every entry succeeded, and returns the bodies in order.
     */
    protected final List<String> sendNumbered(MessageQueue queue, String prefix, int count) {
        List<OutgoingMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(OutgoingMessage.of(prefix + "-" + i));
        }
        sendAll(queue, messages);
        return bodiesOf(messages);
    }

    /**
     * Sends {@code count} messages to FIFO group {@code groupId}, with bodies
     * {@code groupId-0}, {@code groupId-1}, … and the body as deduplication id, in order, in
     * batches of 10. Returns the bodies in order.
     */
    protected final List<String> sendToGroup(MessageQueue fifo, String groupId, int count) {
        List<OutgoingMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String body = groupId + "-" + i;
            messages.add(fifoMessage(groupId, body));
        }
        sendAll(queue(fifo.name()), messages);
        return bodiesOf(messages);
    }

    /**
     * A FIFO message to {@code groupId} whose deduplication id is its body, with every character
     * that ids do not allow (space, non-ASCII) replaced by {@code _}, cut to 128 characters.
     */
    protected static OutgoingMessage fifoMessage(String groupId, String body) {
        return OutgoingMessage.builder(body).groupId(groupId).deduplicationId(deduplicationIdFor(body)).build();
    }

    /** {@code body} as a deduplication id: characters outside {@code !}..{@code ~} become {@code _}, at most 128. */
    protected static String deduplicationIdFor(String body) {
        StringBuilder id = new StringBuilder(Math.min(body.length(), 128));
        for (int i = 0; i < body.length() && id.length() < 128; i++) {
            char c = body.charAt(i);
            id.append(c >= 0x21 && c <= 0x7E ? c : '_');
        }
        return id.toString();
    }

    /** A message with {@code body} and {@code count} attributes {@code attr0=v}, {@code attr1=v}, … */
    protected static OutgoingMessage withAttributes(String body, int count) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            attributes.put("attr" + i, "v");
        }
        return OutgoingMessage.builder(body).attributes(attributes).build();
    }

    /** Sends the messages in batches of 10 and asserts that every entry succeeded. */
    protected final List<SendResult> sendAll(MessageQueue queue, List<OutgoingMessage> messages) {
        List<SendResult> results = new ArrayList<>(messages.size());
        for (int from = 0; from < messages.size(); from += 10) {
            BatchResult<SendResult> batch = queue.sendBatch(messages.subList(from, Math.min(from + 10, messages.size())));
            for (BatchResult.Failure<SendResult> failure : batch.failed()) {
                throw new AssertionError("entry " + (from + failure.index()) + " of the batch to " + queue.name()
                        + " failed", failure.error());
            }
            for (int i = 0; i < batch.size(); i++) {
                results.add(batch.valueOrThrow(i));
            }
        }
        return results;
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Polls until one message arrives and returns it, received with the queue's visibility
     * timeout. Fails the test if none arrives within {@link #deadline()}.
     */
    protected final ReceivedMessage receiveOne(MessageQueue queue) {
        return receiveOne(queue, null);
    }

    /**
     * Polls until one message arrives and returns it, received with {@code visibilityTimeout}
     * ({@code null}: the queue's). Fails the test if none arrives within {@link #deadline()}.
     */
    protected final ReceivedMessage receiveOne(MessageQueue queue, @Nullable Duration visibilityTimeout) {
        List<ReceivedMessage> received = receiveUpTo(queue, 1, visibilityTimeout);
        assertThat(received).as("a message received from %s within %s", queue.name(), deadline()).hasSize(1);
        return received.get(0);
    }

    /**
     * Polls until {@code expected} messages have arrived, holding them for {@link #HOLD}, then
     * checks that no further message is visible. Returns them in the order received.
     */
    protected final List<ReceivedMessage> receiveAll(MessageQueue queue, int expected) {
        return receiveAll(queue, expected, HOLD);
    }

    /**
     * Polls until {@code expected} messages have arrived, received with {@code visibilityTimeout},
     * then checks that no further message is visible. Returns them in the order received.
     */
    protected final List<ReceivedMessage> receiveAll(MessageQueue queue, int expected, Duration visibilityTimeout) {
        List<ReceivedMessage> received = receiveUpTo(queue, expected, visibilityTimeout);
        assertThat(received).as("messages received from %s within %s", queue.name(), deadline()).hasSize(expected);
        assertNothingToReceive(queue);
        return received;
    }

    /**
     * Receives, polling, until {@code count} messages have arrived or {@link #deadline()} has passed;
     * returns what arrived, in the order received (never more than {@code count}).
     */
    protected final List<ReceivedMessage> receiveUpTo(MessageQueue queue, int count, @Nullable Duration visibilityTimeout) {
        List<ReceivedMessage> received = new ArrayList<>(count);
        Instant deadline = Instant.now().plus(deadline());
        while (received.size() < count && Instant.now().isBefore(deadline)) {
            received.addAll(queue.receive(ReceiveRequest.builder()
                    .maxMessages(Math.min(10, count - received.size()))
                    .waitTime(POLL_WAIT)
                    .visibilityTimeout(visibilityTimeout)
                    .build()));
        }
        return received;
    }

    /**
     * Receives, polling, and deletes each message as soon as it arrives, until {@code count}
     * messages have arrived; then checks that nothing further is visible. Returns the messages in
     * the order received. On a FIFO queue this is the delivery order, as deleting a message
     * unblocks the next of its group.
     */
    protected final List<ReceivedMessage> receiveAndDeleteAll(MessageQueue queue, int count) {
        List<ReceivedMessage> received = new ArrayList<>(count);
        Instant deadline = Instant.now().plus(deadline());
        while (received.size() < count && Instant.now().isBefore(deadline)) {
            List<ReceivedMessage> batch = queue.receive(ReceiveRequest.builder()
                    .maxMessages(Math.min(10, count - received.size()))
                    .waitTime(POLL_WAIT)
                    .visibilityTimeout(HOLD)
                    .build());
            for (ReceivedMessage m : batch) {
                received.add(m);
                queue.delete(m);
            }
        }
        assertThat(received).as("messages received from %s within %s", queue.name(), deadline()).hasSize(count);
        assertNothingToReceive(queue);
        return received;
    }

    /** Asserts that a receive (without waiting) finds nothing visible in the queue. */
    protected final void assertNothingToReceive(MessageQueue queue) {
        List<ReceivedMessage> received = queue.receive(
                ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ZERO).visibilityTimeout(HOLD).build());
        assertThat(received).as("messages visible in %s", queue.name()).isEmpty();
    }

    /** Asserts that the queue holds no message at all: none visible, in flight or delayed. */
    protected final void assertQueueEmpty(MessageQueue queue) {
        QueueStats stats = awaitStats(queue, s -> s.total() == 0, "no messages at all");
        assertThat(stats.total()).isZero();
        assertNothingToReceive(queue);
    }

    /** The bodies of received messages, in order. */
    protected static List<String> bodies(List<ReceivedMessage> messages) {
        List<String> bodies = new ArrayList<>(messages.size());
        for (ReceivedMessage m : messages) {
            bodies.add(m.body());
        }
        return bodies;
    }

    /** The message ids of received messages, in order. */
    protected static List<String> messageIds(List<ReceivedMessage> messages) {
        List<String> ids = new ArrayList<>(messages.size());
        for (ReceivedMessage m : messages) {
            ids.add(m.messageId());
        }
        return ids;
    }

    private static List<String> bodiesOf(List<OutgoingMessage> messages) {
        List<String> bodies = new ArrayList<>(messages.size());
        for (OutgoingMessage m : messages) {
            bodies.add(m.body());
        }
        return bodies;
    }

    // ---------------------------------------------------------------- errors

    /**
     * Asserts that {@code call} throws a {@link ValidationException} (an
     * {@link IllegalArgumentException}) for {@code field} on {@code queue}, whose message names the
     * field and contains each of {@code mentions}; returns it.
     */
    protected final ValidationException assertValidationError(MessageQueue queue, String field, ThrowingCallable call,
            String... mentions) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("what %s threw for field %s", queue.name(), field)
                .isInstanceOf(ValidationException.class)
                .isInstanceOf(IllegalArgumentException.class);
        ValidationException v = (ValidationException) thrown;
        assertThat(v.field()).as("field of: %s", v.getMessage()).isEqualTo(field);
        assertThat(v.queue()).as("queue of: %s", v.getMessage()).isEqualTo(queue.name());
        assertThat(v.getMessage()).as("message naming the field").contains(field);
        for (String mention : mentions) {
            assertThat(v.getMessage()).contains(mention);
        }
        return v;
    }

    // ---------------------------------------------------------------- stats and polling

    /**
     * Polls the queue's stats until they match (stats are approximate and may lag on some
     * backends); fails the test with the last stats if they do not within {@link #deadline()}.
     */
    protected final QueueStats awaitStats(MessageQueue queue, Predicate<QueueStats> condition, String description) {
        return await(queue::stats, condition, "stats of " + queue.name() + " showing " + description);
    }

    /** Polls the queue's stats until they show exactly these counts. */
    protected final QueueStats awaitCounts(MessageQueue queue, long visible, long inFlight, long delayed) {
        return awaitStats(queue, s -> s.visible() == visible && s.inFlight() == inFlight && s.delayed() == delayed,
                "visible=" + visible + ", inFlight=" + inFlight + ", delayed=" + delayed);
    }

    /**
     * Polls {@code supplier} (every 20 ms) until its value matches {@code condition}, and returns
     * that value; fails with the last value after {@link #deadline()}.
     */
    protected final <T> T await(Supplier<T> supplier, Predicate<T> condition, String description) {
        Instant deadline = Instant.now().plus(deadline());
        T last = supplier.get();
        while (!condition.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                fail("timed out after " + deadline() + " waiting for " + description + "; last seen: " + last);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + description, e);
            }
            last = supplier.get();
        }
        return last;
    }

    /** Asserts that {@code instant} lies within {@link #CLOCK_TOLERANCE} of the backend's now. */
    protected final void assertRecent(Instant instant, String what) {
        Instant now = backend().now();
        assertThat(instant).as(what).isBetween(now.minus(CLOCK_TOLERANCE), now.plus(CLOCK_TOLERANCE));
    }
}
