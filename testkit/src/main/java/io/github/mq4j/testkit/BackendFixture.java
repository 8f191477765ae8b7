package io.github.mq4j.testkit;

import io.github.mq4j.QueueClient;
import io.github.mq4j.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the conformance suite needs from a backend: fresh clients on isolated namespaces and a way
 * to make time pass. A backend's tests implement this once and return it from
 * {@link ConformanceTest#fixture()} in each subclass of the contract classes.
 *
 * <pre>{@code
 * final class MyBackendFixture implements BackendFixture {
 *     public QueueClient open(Topology topology) {
 *         // a new schema, key prefix or queue-name prefix per call, so no test sees another's messages
 *         return QueueFactory.builder().type("mine").topology(topology).config(settingsFor(newNamespace())).build();
 *     }
 *     public void advance(Duration amount) {
 *         sleep(amount.plusMillis(250));   // real time on a real server; see maxAdvance()
 *     }
 *     public Duration maxAdvance() {
 *         return Duration.ofSeconds(5);
 *     }
 * }
 * }</pre>
 *
 * <p>The suite calls {@link #open(Topology)} once per test and closes the client after the test.
 * One fixture instance may serve many tests (and should, when it owns an expensive server); it
 * must then be thread-safe, as JUnit may run test classes in parallel when configured to.
 */
public interface BackendFixture {

    /**
     * A fresh client for {@code topology} on an isolated namespace: its queues exist, are empty,
     * and share nothing with the queues of any other client this fixture opened (a new schema, a
     * new queue-name prefix). The queues keep their logical names in the API (in
     * {@link io.github.mq4j.QueueClient#queue(String)}, {@link io.github.mq4j.ReceivedMessage#queue()}
     * and {@link io.github.mq4j.ReceivedMessage#deadLetterSource()}) whatever the backend calls them
     * underneath. The test closes the client.
     */
    QueueClient open(Topology topology);

    /**
     * Makes {@code amount} of time pass for the backend: visibility timeouts, delays, retention
     * and the deduplication window run down by it. The in-memory backend moves its
     * {@link io.github.mq4j.memory.ManualClock}; a real server sleeps (plus a small margin, so that
     * a timeout of exactly {@code amount} has certainly passed) or shifts its stored timestamps.
     * Never called with more than {@link #maxAdvance()}.
     */
    void advance(Duration amount);

    /**
     * The longest {@link #advance(Duration)} this fixture takes in one call. A test that needs
     * more is aborted (reported as skipped) with the reason stated, so a sleeping fixture keeps the
     * suite fast without hiding what it did not check. Defaults to 5 seconds; a fixture that moves
     * a clock returns something large, e.g. {@code Duration.ofDays(365)}.
     */
    default Duration maxAdvance() {
        return Duration.ofSeconds(5);
    }

    /**
     * The cases this backend (or the test server it runs on) cannot honour, each with the reason.
     * A test of such a case is aborted with that reason instead of failing. Defaults to none.
     */
    default Map<KnownGap, String> knownGaps() {
        return Map.of();
    }

    /**
     * The backend's idea of now, against which the suite checks timestamps such as
     * {@link io.github.mq4j.ReceivedMessage#sentAt()} (within a minute). Defaults to the system
     * clock; a fixture with a manual clock returns that clock's time.
     */
    default Instant now() {
        return Instant.now();
    }
}
