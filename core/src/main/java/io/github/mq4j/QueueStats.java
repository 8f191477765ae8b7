package io.github.mq4j;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Approximate counts of a queue's messages at one moment. Immutable.
 *
 * @param queue the queue
 * @param visible messages that a receive could return now
 * @param inFlight messages received and not yet deleted or visible again
 * @param delayed messages sent with a delay that has not yet passed
 * @param oldestMessageAge the age of the oldest message in the queue, or {@code null} where the
 *     backend cannot know it (SQS reports it only through CloudWatch) or the queue is empty
 */
public record QueueStats(String queue, long visible, long inFlight, long delayed, @Nullable Duration oldestMessageAge) {
    /** All messages counted: visible, in flight and delayed. */
    public long total() {
        return visible + inFlight + delayed;
    }
}
