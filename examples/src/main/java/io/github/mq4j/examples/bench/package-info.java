/** Benchmarks: main programs that measure, run by hand, never as tests. */
@NullMarked
package io.github.mq4j.examples.bench;

import org.jspecify.annotations.NullMarked;
