package io.github.mq4j.recording;

import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.spi.BackendContext;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The log a {@link RecordingBackend} writes: every call core made on it, in order. A test hands
 * its own instance to the backend as an option ({@code QueueFactory.builder().option(BackendCalls.class, calls)}),
 * so no state is shared between tests. Thread-safe.
 */
public final class BackendCalls {

    /**
     * One call on the backend.
     *
     * @param method the SPI method, e.g. {@code "send"}
     * @param queue the queue it addressed, or {@code null} for {@code close}
     * @param argument what it was given (a list of messages, a request, ...), or {@code null}
     */
    public record Call(String method, @Nullable String queue, @Nullable Object argument) {}

    private final List<Call> calls = new ArrayList<>();
    private final List<BackendContext> opened = new ArrayList<>();

    synchronized void opened(BackendContext context) {
        opened.add(context);
    }

    synchronized void record(String method, @Nullable String queue, @Nullable Object argument) {
        calls.add(new Call(method, queue, argument));
    }

    /** The contexts backends were opened with, in order. */
    public synchronized List<BackendContext> contexts() {
        return List.copyOf(opened);
    }

    /** Every call so far, in order (opening is not a call). */
    public synchronized List<Call> all() {
        return List.copyOf(calls);
    }

    /** How many calls so far. */
    public synchronized int count() {
        return calls.size();
    }

    /** How many calls of {@code method} so far. */
    public synchronized long count(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).count();
    }

    /** The last call; fails if there was none. */
    public synchronized Call last() {
        if (calls.isEmpty()) {
            throw new AssertionError("the backend was never called");
        }
        return calls.get(calls.size() - 1);
    }

    /** The messages of the last {@code send} call, as the backend received them. */
    @SuppressWarnings("unchecked")
    public synchronized List<OutgoingMessage> lastSent() {
        for (int i = calls.size() - 1; i >= 0; i--) {
            if (calls.get(i).method().equals("send")) {
                return (List<OutgoingMessage>) calls.get(i).argument();
            }
        }
        throw new AssertionError("the backend was never sent anything");
    }

    /** Forgets the calls so far (not the contexts). */
    public synchronized void clear() {
        calls.clear();
    }
}
