/**
 * The in-memory backend ({@code MESSAGE_QUEUE_TYPE=memory}): the reference implementation of the
 * whole semantics contract, in one JVM, for tests and local development. Its messages live only
 * as long as the client. With a {@link io.github.mq4j.memory.ManualClock} tests step through
 * timeouts without sleeping.
 */
@NullMarked
package io.github.mq4j.memory;

import org.jspecify.annotations.NullMarked;
