package io.github.mq4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limits are those of DESIGN.md point 11 (Amazon SQS's): a changed constant fails here, not in production. */
class LimitsTest {

    @Test
    void messageLimits_areTheContractValues() {
        assertThat(Limits.MIN_BODY_BYTES).isEqualTo(1);
        assertThat(Limits.DEFAULT_MAX_MESSAGE_SIZE).isEqualTo(262_144);
        assertThat(Limits.MIN_MAX_MESSAGE_SIZE).isEqualTo(1024);
        assertThat(Limits.MAX_MAX_MESSAGE_SIZE).isEqualTo(1_048_576);
        assertThat(Limits.ATTRIBUTE_TYPE_BYTES).isEqualTo("String".length());
        assertThat(Limits.MAX_ATTRIBUTES).isEqualTo(10);
        assertThat(Limits.MAX_ATTRIBUTE_NAME_LENGTH).isEqualTo(256);
        assertThat(Limits.MAX_ID_LENGTH).isEqualTo(128);
        assertThat(Limits.RESERVED_ATTRIBUTE_PREFIX).isEqualTo("mq4j.");
    }

    @Test
    void timeLimits_areTheContractValues() {
        assertThat(Limits.MAX_WAIT_TIME).isEqualTo(Duration.ofSeconds(20));
        assertThat(Limits.MAX_VISIBILITY_TIMEOUT).isEqualTo(Duration.ofHours(12));
        assertThat(Limits.MAX_DELAY).isEqualTo(Duration.ofSeconds(900));
        assertThat(Limits.MIN_RETENTION).isEqualTo(Duration.ofSeconds(60));
        assertThat(Limits.MAX_RETENTION).isEqualTo(Duration.ofDays(14));
        assertThat(Limits.DEDUPLICATION_WINDOW).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void queueAndRedriveLimits_areTheContractValues() {
        assertThat(Limits.MAX_RECEIVE_MESSAGES).isEqualTo(10);
        assertThat(Limits.MAX_QUEUE_NAME_LENGTH).isEqualTo(80);
        assertThat(Limits.FIFO_SUFFIX).isEqualTo(".fifo");
        assertThat(Limits.MAX_MAX_RECEIVE_COUNT).isEqualTo(1000);
        assertThat(Limits.MAX_REDRIVE_RATE).isEqualTo(500);
    }
}
