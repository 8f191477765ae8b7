package io.github.mq4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchResultTest {
    private final ValidationException bad = new ValidationException("body", "q", "body is empty");
    private final BatchResult<String> result = new BatchResult<>(List.of(
            new BatchResult.Success<>(0, "a"), new BatchResult.Failure<>(1, bad), new BatchResult.Success<>(2, "c")));

    @Test
    void entries_keepTheRequestOrder() {
        assertThat(result.size()).isEqualTo(3);
        assertThat(result.entries()).extracting(BatchResult.Entry::index).containsExactly(0, 1, 2);
        assertThat(result.get(1).succeeded()).isFalse();
    }

    @Test
    void successfulAndFailed_splitTheEntriesInOrder() {
        assertThat(result.successful()).extracting(BatchResult.Success::value).containsExactly("a", "c");
        assertThat(result.successful()).extracting(BatchResult.Success::index).containsExactly(0, 2);
        assertThat(result.failed()).singleElement().satisfies(f -> {
            assertThat(f.index()).isEqualTo(1);
            assertThat(f.error()).isSameAs(bad);
        });
        assertThat(result.allSucceeded()).isFalse();
    }

    @Test
    void valueOrThrow_returnsTheValueOrThrowsTheEntrysError() {
        assertThat(result.valueOrThrow(0)).isEqualTo("a");
        assertThat(result.valueOrThrow(2)).isEqualTo("c");
        assertThatThrownBy(() -> result.valueOrThrow(1)).isSameAs(bad);
    }

    @Test
    void allSucceeded_whenNoEntryFailed() {
        BatchResult<String> ok = new BatchResult<>(List.of(new BatchResult.Success<>(0, "a")));
        assertThat(ok.allSucceeded()).isTrue();
        assertThat(ok.failed()).isEmpty();
    }

    @Test
    void entriesOutOfOrder_areRejected() {
        assertThatThrownBy(() -> new BatchResult<>(List.of(new BatchResult.Success<>(1, "b"), new BatchResult.Success<>(0, "a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 0 has index 1");
    }

    @Test
    void entries_areCopiedAndImmutable() {
        List<BatchResult.Entry<String>> entries = new ArrayList<>(List.of(new BatchResult.Success<>(0, "a")));
        BatchResult<String> r = new BatchResult<>(entries);
        entries.add(new BatchResult.Success<>(1, "b"));
        assertThat(r.size()).isEqualTo(1);
        assertThatThrownBy(() -> r.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullValueOrError_isRejected() {
        assertThatThrownBy(() -> new BatchResult.Success<>(0, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new BatchResult.Failure<String>(0, null)).isInstanceOf(NullPointerException.class);
    }
}
