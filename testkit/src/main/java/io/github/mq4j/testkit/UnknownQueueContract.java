package io.github.mq4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.UnknownQueueException;
import io.github.mq4j.ValidationException;
import org.junit.jupiter.api.Test;

/** Queue names outside the topology: an {@link UnknownQueueException} that lists the known names. */
public abstract class UnknownQueueContract extends ConformanceTest {

    @Test
    void unknownQueue_isErrorListingKnownQueues() {
        assertThatThrownBy(() -> client().queue("no-such-queue"))
                .isInstanceOf(UnknownQueueException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-queue")
                .satisfies(e -> {
                    UnknownQueueException u = (UnknownQueueException) e;
                    assertThat(u.knownQueues()).containsExactlyElementsOf(topology().names());
                    assertThat(u.queue()).isEqualTo("no-such-queue");
                    for (String name : topology().names()) {
                        assertThat(u.getMessage()).contains(name);
                    }
                });
    }

    @Test
    void queueNames_areCaseSensitive() {
        assertThatThrownBy(() -> client().queue(TestTopology.STANDARD.toUpperCase(java.util.Locale.ROOT)))
                .isInstanceOf(UnknownQueueException.class);
    }

    @Test
    void fifoSuffix_isPartOfTheName() {
        assertThatThrownBy(() -> client().queue(TestTopology.STANDARD + ".fifo")).isInstanceOf(UnknownQueueException.class);
        assertThatThrownBy(() -> client().queue("ordered")).isInstanceOf(UnknownQueueException.class);
    }

    @Test
    void nullQueueName_isValidationError() {
        assertThatThrownBy(() -> client().queue(null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void everyTopologyQueue_isKnown() {
        for (String name : topology().names()) {
            assertThat(client().queue(name).name()).isEqualTo(name);
        }
    }
}
