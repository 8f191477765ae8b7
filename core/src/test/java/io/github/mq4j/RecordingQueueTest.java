package io.github.mq4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mq4j.recording.BackendCalls;
import io.github.mq4j.recording.RecordingBackendProvider;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that call the API on a client over the recording test backend, so each test
 * can check both what core rejected and that nothing of it reached the backend.
 */
abstract class RecordingQueueTest {
    protected final BackendCalls calls = new BackendCalls();
    protected QueueClient client;

    /** The queues of the client under test. */
    protected abstract Topology topology();

    @BeforeEach
    void openClient() {
        client = QueueFactory.builder()
                .type(RecordingBackendProvider.TYPE)
                .topology(topology())
                .option(BackendCalls.class, calls)
                .build();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    protected MessageQueue queue(String name) {
        return client.queue(name);
    }

    /**
     * Asserts that {@code call} throws a {@link ValidationException} for {@code field} whose
     * message names the field and contains each fragment (the limit, the offending size or value),
     * and that the backend saw no call at all.
     */
    protected ValidationException rejected(String field, ThrowingCallable call, String... fragments) {
        int before = calls.count();
        ValidationException e = Rejections.assertRejected(field, call, fragments);
        assertThat(calls.count()).as("backend calls after a rejected call: %s", calls.all()).isEqualTo(before);
        return e;
    }

    /** Asserts that {@code call} went through to the backend (exactly one more backend call). */
    protected void accepted(ThrowingCallable call) {
        int before = calls.count();
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("an accepted call").isNull();
        assertThat(calls.count()).as("backend calls").isEqualTo(before + 1);
    }
}
