/**
 * The backend SPI: what a backend implements so that {@link io.github.mq4j.QueueFactory} can
 * open it. A backend module ships a {@link io.github.mq4j.spi.QueueBackendProvider} registered in
 * {@code META-INF/services/io.github.mq4j.spi.QueueBackendProvider}; the provider opens a
 * {@link io.github.mq4j.spi.QueueBackend} for a topology.
 *
 * <p>Core validates every call before it reaches a backend: a backend receives only input that
 * keeps every limit of {@link io.github.mq4j.Limits} and the FIFO rules, and it need not check
 * them again. What a backend must check itself is what only it can: receipts it issued.
 * Backends translate their client library's exceptions into
 * {@link io.github.mq4j.MessageQueueException}s at their edge, keeping the original as the cause.
 */
@NullMarked
package io.github.mq4j.spi;

import org.jspecify.annotations.NullMarked;
