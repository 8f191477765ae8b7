/** The conformance suite of {@code mq4j-testkit} on the PostgreSQL backend. */
@NullMarked
package io.github.mq4j.postgres.conformance;

import org.jspecify.annotations.NullMarked;
