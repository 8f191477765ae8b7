/**
 * The mq4j API: one message-queue interface for Amazon SQS, PostgreSQL and memory.
 *
 * <p>Start with {@link io.github.mq4j.QueueFactory#fromEnv()}, which returns a
 * {@link io.github.mq4j.QueueClient}; each named queue of its {@link io.github.mq4j.Topology}
 * is a {@link io.github.mq4j.MessageQueue}. Every argument is validated here, in core,
 * against the limits in {@link io.github.mq4j.Limits} before any backend sees it; a
 * violation is a {@link io.github.mq4j.ValidationException}. Everything else the library
 * throws is a {@link io.github.mq4j.MessageQueueException}.
 *
 * <p>All types in this package are immutable or thread-safe, as each type's documentation says.
 * Nothing in this package returns or accepts {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package io.github.mq4j;

import org.jspecify.annotations.NullMarked;
