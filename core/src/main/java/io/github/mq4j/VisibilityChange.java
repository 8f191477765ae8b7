package io.github.mq4j;

import java.time.Duration;
import java.util.Objects;

/**
 * One entry of {@link MessageQueue#changeVisibilityBatch(java.util.List)}: hide the message
 * of {@code receipt} for {@code timeout} from now (0 makes it visible at once). Immutable.
 */
public record VisibilityChange(String receipt, Duration timeout) {
    public VisibilityChange {
        Objects.requireNonNull(receipt, "receipt");
        Objects.requireNonNull(timeout, "timeout");
    }
}
