package io.github.mq4j;

/**
 * Where a queue's messages go after too many receives: a message received {@code maxReceiveCount}
 * times and not deleted is moved to {@code targetQueue} (a queue of the same type, FIFO or
 * standard) instead of being delivered again. Immutable.
 *
 * @param targetQueue the name of the dead-letter queue, in the same topology
 * @param maxReceiveCount how many receives a message gets, 1 to {@link Limits#MAX_MAX_RECEIVE_COUNT}
 */
public record DeadLetterPolicy(String targetQueue, int maxReceiveCount) {
    /** The max receive count of the default topology: 3. */
    public static final int DEFAULT_MAX_RECEIVE_COUNT = 3;

    public DeadLetterPolicy {
        Validation.requireNonNull("deadLetter.targetQueue", targetQueue);
        if (maxReceiveCount < 1 || maxReceiveCount > Limits.MAX_MAX_RECEIVE_COUNT) {
            throw new ValidationException("deadLetter.maxReceiveCount", "deadLetter.maxReceiveCount is " + maxReceiveCount
                    + "; it must be 1 to " + Limits.MAX_MAX_RECEIVE_COUNT);
        }
    }

    /** A policy to {@code targetQueue} with {@link #DEFAULT_MAX_RECEIVE_COUNT}. */
    public static DeadLetterPolicy to(String targetQueue) {
        return new DeadLetterPolicy(targetQueue, DEFAULT_MAX_RECEIVE_COUNT);
    }
}
