package io.github.mq4j.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.ValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {

    @Test
    void delay_growsExponentiallyUpToTheCap() {
        BackoffPolicy p = new BackoffPolicy(Duration.ofSeconds(2), 3.0, Duration.ofSeconds(60), 0.0);
        assertThat(p.delayFor(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.delayFor(2)).isEqualTo(Duration.ofSeconds(6));
        assertThat(p.delayFor(3)).isEqualTo(Duration.ofSeconds(18));
        assertThat(p.delayFor(4)).isEqualTo(Duration.ofSeconds(54));
        assertThat(p.delayFor(5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.delayFor(1000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void jitter_reducesTheDelayByAtMostItsFraction() {
        BackoffPolicy p = BackoffPolicy.exponential(Duration.ofSeconds(100), Duration.ofSeconds(1000)).withJitter(0.5);
        assertThat(p.delayFor(1, () -> 0.0)).isEqualTo(Duration.ofSeconds(100));
        assertThat(p.delayFor(1, () -> 0.999999)).isEqualTo(Duration.ofSeconds(50));
        assertThat(p.delayFor(2, () -> 0.5)).isEqualTo(Duration.ofSeconds(150));
        for (int i = 0; i < 1000; i++) {
            assertThat(p.delayFor(3)).isBetween(Duration.ofSeconds(200), Duration.ofSeconds(400));
        }
    }

    @Test
    void fixedAndImmediate_neverChange() {
        assertThat(BackoffPolicy.fixed(Duration.ofSeconds(7)).delayFor(9)).isEqualTo(Duration.ofSeconds(7));
        assertThat(BackoffPolicy.immediate().delayFor(3)).isZero();
        assertThat(BackoffPolicy.DEFAULT.delayFor(30)).isLessThanOrEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void invalidPolicies_areRejected() {
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofMillis(500), 2, Duration.ofSeconds(5), 0))
                .isInstanceOf(ValidationException.class).hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(10), 2, Duration.ofSeconds(5), 0))
                .isInstanceOf(ValidationException.class).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(1), 2, Duration.ofHours(13), 0))
                .isInstanceOf(ValidationException.class).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(5), 0))
                .isInstanceOf(ValidationException.class).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(1), Double.NaN, Duration.ofSeconds(5), 0))
                .isInstanceOf(ValidationException.class).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(1), 2, Duration.ofSeconds(5), 1.5))
                .isInstanceOf(ValidationException.class).hasMessageContaining("jitter");
        assertThatThrownBy(() -> BackoffPolicy.DEFAULT.delayFor(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
