/** The reliability scenarios of {@code mq4j-testkit} (crashes, slow handlers) on the PostgreSQL backend. */
@NullMarked
package io.github.mq4j.postgres.reliability;

import org.jspecify.annotations.NullMarked;
