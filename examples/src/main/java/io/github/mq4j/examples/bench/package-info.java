/** Benchmarks: programs that measure mq4j against the raw client libraries in one run. Not tests. */
@NullMarked
package io.github.mq4j.examples.bench;

import org.jspecify.annotations.NullMarked;
