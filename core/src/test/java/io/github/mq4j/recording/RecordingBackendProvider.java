package io.github.mq4j.recording;

import io.github.mq4j.spi.BackendContext;
import io.github.mq4j.spi.QueueBackend;
import io.github.mq4j.spi.QueueBackendProvider;

/**
 * Opens {@link RecordingBackend}s under type {@value #TYPE}. Registered for tests in
 * {@code META-INF/services/io.github.mq4j.spi.QueueBackendProvider}. Thread-safe (stateless).
 */
public final class RecordingBackendProvider implements QueueBackendProvider {
    /** The type name that selects this backend. */
    public static final String TYPE = "recording";

    @Override
    public String type() {
        return TYPE;
    }

    /** Opens a backend that logs into the context's {@link BackendCalls} option, or into a fresh log if none was given. */
    @Override
    public QueueBackend open(BackendContext context) {
        BackendCalls calls = context.option(BackendCalls.class).orElseGet(BackendCalls::new);
        calls.opened(context);
        return new RecordingBackend(calls);
    }
}
