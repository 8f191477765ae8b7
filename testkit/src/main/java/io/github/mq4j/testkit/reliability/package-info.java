/**
 * Tools for reliability scenarios: faults, crashes and hostile input, with every message
 * accounted for ({@link io.github.mq4j.testkit.reliability.MessageLedger}).
 */
@NullMarked
package io.github.mq4j.testkit.reliability;

import org.jspecify.annotations.NullMarked;
