/**
 * The mq4j conformance suite: abstract JUnit 5 tests of the semantics contract (see
 * {@code docs/semantics.md}) that every backend runs, the in-memory one, PostgreSQL, SQS and
 * third-party ones alike.
 *
 * <h2>Running the suite on a backend</h2>
 *
 * <ol>
 *   <li>Add {@code io.github.mq4j:mq4j-testkit} as a test dependency (it brings JUnit Jupiter's API
 *       and AssertJ; add {@code junit-jupiter-engine} or {@code junit-jupiter} to run them).
 *   <li>Implement {@link io.github.mq4j.testkit.BackendFixture}: {@code open(topology)} returns a
 *       fresh client on an isolated namespace (a new schema, a queue-name prefix) every call;
 *       {@code advance(amount)} makes time pass (move a clock, or sleep on a real server and keep
 *       {@code maxAdvance()} small); {@code knownGaps()} names what the backend or its test server
 *       cannot honour, with the reason.
 *   <li>Subclass each contract class once, returning the fixture:
 *       <pre>{@code
 * class MyBackendSendReceiveDeleteTest extends SendReceiveDeleteContract {
 *     @Override
 *     protected BackendFixture fixture() {
 *         return MyBackendFixture.shared();   // one per JVM if it owns an expensive server
 *     }
 * }
 * }</pre>
 *       The contracts are {@link io.github.mq4j.testkit.SendReceiveDeleteContract},
 *       {@link io.github.mq4j.testkit.VisibilityAndReceiptsContract},
 *       {@link io.github.mq4j.testkit.DelayContract}, {@link io.github.mq4j.testkit.FifoOrderingContract},
 *       {@link io.github.mq4j.testkit.DeduplicationContract},
 *       {@link io.github.mq4j.testkit.DeadLetterContract}, {@link io.github.mq4j.testkit.RedriveContract},
 *       {@link io.github.mq4j.testkit.RetentionContract}, {@link io.github.mq4j.testkit.LongPollingContract},
 *       {@link io.github.mq4j.testkit.BatchContract}, {@link io.github.mq4j.testkit.LimitsContract},
 *       {@link io.github.mq4j.testkit.HostileInputContract},
 *       {@link io.github.mq4j.testkit.StatsContract}, {@link io.github.mq4j.testkit.PurgeContract},
 *       {@link io.github.mq4j.testkit.ConcurrencyContract},
 *       {@link io.github.mq4j.testkit.ClosedClientContract} and
 *       {@link io.github.mq4j.testkit.UnknownQueueContract}; {@link io.github.mq4j.testkit.Contracts#all()}
 *       lists them, so a backend's own test can check it runs every one.
 * </ol>
 *
 * <p>Every test runs on {@link io.github.mq4j.testkit.TestTopology}: standard and FIFO queues with
 * dead-letter queues, content-based and per-group deduplication, a queue-level delay, a short
 * retention and visibility timeouts of 2 s. Tests never sleep to wait for an outcome; they poll with
 * a deadline, and time that must pass goes through {@code BackendFixture.advance}. A test that needs
 * a longer advance than the fixture allows, or that checks a declared known gap, is aborted with the
 * reason and reported as skipped, never passed silently. Each test opens its own client, so test
 * classes may run in parallel if the fixture is thread-safe.
 */
@NullMarked
package io.github.mq4j.testkit;

import org.jspecify.annotations.NullMarked;
