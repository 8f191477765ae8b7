package io.github.mq4j.worker;

import io.github.mq4j.Limits;
import io.github.mq4j.ValidationException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long a message whose handler failed stays hidden before it is delivered again: exponential
 * in the receive count, capped, with random jitter so that messages that failed together do not
 * come back together. Applied as a visibility change, so it is whole seconds, as every visibility
 * timeout is. Immutable.
 *
 * <p>The delay after the {@code n}-th receive failed is
 * {@code min(maxDelay, initialDelay * multiplier^(n-1))}, reduced by a random fraction of up to
 * {@code jitter} of itself, rounded to whole seconds.
 *
 * <pre>{@code
 * BackoffPolicy.exponential(Duration.ofSeconds(5), Duration.ofMinutes(10))   // 5 s, 10 s, 20 s, ... 10 min
 * BackoffPolicy.fixed(Duration.ofSeconds(30))
 * BackoffPolicy.immediate()                                                  // visible again at once
 * }</pre>
 *
 * @param initialDelay the delay after the first failure, 0 to 12 h in whole seconds
 * @param multiplier the factor each further failure multiplies the delay by, at least 1
 * @param maxDelay the longest delay, from {@code initialDelay} to 12 h in whole seconds
 * @param jitter the largest fraction the delay is randomly reduced by, 0 (none) to 1
 */
public record BackoffPolicy(Duration initialDelay, double multiplier, Duration maxDelay, double jitter) {

    /** The policy a subscription uses unless it names one: 1 s, doubling, at most 15 min, jitter 0.2. */
    public static final BackoffPolicy DEFAULT = new BackoffPolicy(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(15), 0.2);

    public BackoffPolicy {
        wholeSeconds("initialDelay", initialDelay, Duration.ZERO);
        wholeSeconds("maxDelay", maxDelay, initialDelay);
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new ValidationException("multiplier", "backoff multiplier is " + multiplier + "; it must be a finite number of at least 1");
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new ValidationException("jitter", "backoff jitter is " + jitter + "; it must be 0 to 1");
        }
    }

    private static void wholeSeconds(String field, Duration value, Duration min) {
        Objects.requireNonNull(value, field);
        if (value.compareTo(min) < 0 || value.compareTo(Limits.MAX_VISIBILITY_TIMEOUT) > 0 || value.getNano() != 0) {
            throw new ValidationException(field, "backoff " + field + " is " + value + "; it must be " + min.getSeconds()
                    + " s to " + Limits.MAX_VISIBILITY_TIMEOUT.getSeconds() + " s in whole seconds");
        }
    }

    /** Doubling from {@code initialDelay} up to {@code maxDelay}, with jitter 0.2. */
    public static BackoffPolicy exponential(Duration initialDelay, Duration maxDelay) {
        return new BackoffPolicy(initialDelay, 2.0, maxDelay, 0.2);
    }

    /** The same delay after every failure, without jitter. */
    public static BackoffPolicy fixed(Duration delay) {
        return new BackoffPolicy(delay, 1.0, delay, 0.0);
    }

    /** No delay: a failed message is visible again at once. */
    public static BackoffPolicy immediate() {
        return fixed(Duration.ZERO);
    }

    /** This policy with another jitter. */
    public BackoffPolicy withJitter(double value) {
        return new BackoffPolicy(initialDelay, multiplier, maxDelay, value);
    }

    /**
     * The delay after the handler failed on receive number {@code receiveCount}, with random jitter.
     *
     * @param receiveCount 1 or more
     */
    public Duration delayFor(int receiveCount) {
        return delayFor(receiveCount, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The delay after the handler failed on receive number {@code receiveCount}, with the jitter
     * drawn from {@code random} (values in [0, 1)).
     *
     * @param receiveCount 1 or more
     */
    public Duration delayFor(int receiveCount, DoubleSupplier random) {
        if (receiveCount < 1) {
            throw new IllegalArgumentException("receiveCount is " + receiveCount + "; it must be at least 1");
        }
        double max = maxDelay.getSeconds();
        double base = initialDelay.getSeconds() * Math.pow(multiplier, receiveCount - 1.0);
        double capped = Math.min(max, base);
        double jittered = capped * (1.0 - jitter * random.getAsDouble());
        return Duration.ofSeconds(Math.round(Math.max(0.0, Math.min(max, jittered))));
    }
}
