/**
 * The Amazon SQS backend of mq4j, on the AWS SDK for Java v2: selected by
 * {@code MESSAGE_QUEUE_TYPE=sqs}, found by {@link io.github.mq4j.QueueFactory} through
 * {@link io.github.mq4j.sqs.SqsBackendProvider}.
 *
 * <p>Public here: the provider with its configuration variable names, and
 * {@link io.github.mq4j.sqs.SqsProvisioner}, which creates the SQS queues of a topology. The
 * backend itself is used only through the {@link io.github.mq4j.MessageQueue} API.
 * See {@code docs/sqs.md}.
 */
@NullMarked
package io.github.mq4j.sqs;

import org.jspecify.annotations.NullMarked;
