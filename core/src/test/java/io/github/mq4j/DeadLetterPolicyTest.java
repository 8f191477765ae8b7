package io.github.mq4j;

import static io.github.mq4j.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeadLetterPolicyTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 999, 1000})
    void maxReceiveCountOfOneTo1000_isAccepted(int count) {
        assertThat(new DeadLetterPolicy("dlq", count).maxReceiveCount()).isEqualTo(count);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1001, Integer.MAX_VALUE})
    void maxReceiveCountOutsideOneTo1000_isRejected(int count) {
        assertRejected("deadLetter.maxReceiveCount", () -> new DeadLetterPolicy("dlq", count), "is " + count, "1 to 1000");
    }

    @Test
    void nullTarget_isRejected() {
        assertRejected("deadLetter.targetQueue", () -> new DeadLetterPolicy(null, 3), "null");
    }

    @Test
    void to_usesTheDefaultMaxReceiveCountOfThree() {
        assertThat(DeadLetterPolicy.to("dlq")).isEqualTo(new DeadLetterPolicy("dlq", 3));
        assertThat(DeadLetterPolicy.DEFAULT_MAX_RECEIVE_COUNT).isEqualTo(3);
    }
}
