/** Runnable programs that show how to use mq4j; copy from them. */
@NullMarked
package io.github.mq4j.examples;

import org.jspecify.annotations.NullMarked;
