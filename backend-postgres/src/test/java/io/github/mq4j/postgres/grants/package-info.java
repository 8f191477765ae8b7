/**
 * Parts of the conformance suite run as a PostgreSQL role that holds only the grants
 * {@code docs/operations.md} documents for the runtime, with the migrations applied by an owner role.
 */
@NullMarked
package io.github.mq4j.postgres.grants;

import org.jspecify.annotations.NullMarked;
