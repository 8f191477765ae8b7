/**
 * A recording test double of the backend SPI (type {@code "recording"}): it counts the calls
 * core lets through and answers with simple values. It imitates no real backend; it exists to
 * prove that core rejects bad input before any backend sees it, and that {@code QueueFactory}
 * hands the backend what the application configured.
 */
@NullMarked
package io.github.mq4j.recording;

import org.jspecify.annotations.NullMarked;
