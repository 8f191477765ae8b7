/**
 * Tools for reliability scenarios: faults, crashes and hostile input, with every message
 * accounted for ({@link io.github.mq4j.testkit.reliability.MessageLedger}).
 *
 * <p>Network faults: {@link io.github.mq4j.testkit.reliability.FaultProxy} sits between a client
 * and its server and cuts, refuses or delays connections;
 * {@link io.github.mq4j.testkit.reliability.Producers} send ledger-numbered messages until
 * stopped; {@link io.github.mq4j.testkit.reliability.NetworkFaultContract} is the scenarios, which
 * a backend runs by subclassing it with a {@link io.github.mq4j.testkit.reliability.FaultFixture}.
 */
@NullMarked
package io.github.mq4j.testkit.reliability;

import org.jspecify.annotations.NullMarked;
