/**
 * Helpers for security tests of a backend: {@link io.github.mq4j.testkit.security.LogCapture}
 * captures what is logged, at every level, so that a test can search it for a password or key.
 */
@NullMarked
package io.github.mq4j.testkit.security;

import org.jspecify.annotations.NullMarked;
