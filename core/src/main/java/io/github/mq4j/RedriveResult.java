package io.github.mq4j;

/**
 * What a redrive did. Immutable.
 *
 * @param moved how many messages were moved out of the dead-letter queue
 */
public record RedriveResult(long moved) {}
