package io.github.mq4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the {@link ValidationException}s core throws. */
final class Rejections {
    private Rejections() {}

    /**
     * Asserts that {@code call} throws a {@link ValidationException} for {@code field} whose
     * message names the field and contains each fragment, and returns it.
     */
    static ValidationException assertRejected(String field, ThrowingCallable call, String... fragments) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected a ValidationException for field %s", field)
                .isInstanceOf(ValidationException.class)
                .isInstanceOf(IllegalArgumentException.class);
        ValidationException e = (ValidationException) thrown;
        assertThat(e.field()).as("field() of: %s", e.getMessage()).isEqualTo(field);
        assertThat(e.getMessage()).as("the message names the field").contains(field);
        assertThat(e.getMessage()).contains(fragments);
        return e;
    }
}
