/** Benchmark programs (not tests): numbers go in {@code docs/benchmarks.md}. */
@NullMarked
package io.github.mq4j.examples.bench;

import org.jspecify.annotations.NullMarked;
