package io.github.mq4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The per-entry outcome of a batch operation, in the order of the request's entries: one bad
 * entry does not fail the others. Immutable.
 *
 * <pre>{@code
 * BatchResult<SendResult> result = queue.sendBatch(messages);
 * for (BatchResult.Failure<SendResult> f : result.failed()) {
 *     log.warn("message {} not sent: {}", f.index(), f.error().getMessage());
 * }
 * }</pre>
 *
 * @param <T> what a successful entry yields: a {@link SendResult} for sends, the receipt for
 *     deletes and visibility changes
 * @param entries one outcome per request entry, {@code entries.get(i).index() == i}
 */
public record BatchResult<T>(List<Entry<T>> entries) {

    public BatchResult {
        entries = List.copyOf(entries);
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).index() != i) {
                throw new IllegalArgumentException("entry " + i + " has index " + entries.get(i).index());
            }
        }
    }

    /** The outcome of one entry of a batch. */
    public sealed interface Entry<T> permits Success, Failure {
        /** The position of the entry in the request. */
        int index();

        /** Whether the entry succeeded. */
        boolean succeeded();
    }

    /** An entry that succeeded, with what it yielded. */
    public record Success<T>(int index, T value) implements Entry<T> {
        public Success {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean succeeded() {
            return true;
        }
    }

    /**
     * An entry that failed, with why: a {@link ValidationException} for an entry that broke a
     * limit (nothing was sent for it), a {@link StaleReceiptException}, or a
     * {@link MessageQueueException} from the backend.
     */
    public record Failure<T>(int index, RuntimeException error) implements Entry<T> {
        public Failure {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public boolean succeeded() {
            return false;
        }
    }

    /** The number of entries. */
    public int size() {
        return entries.size();
    }

    /** The outcome of entry {@code index}. */
    public Entry<T> get(int index) {
        return entries.get(index);
    }

    /** Whether every entry succeeded. */
    public boolean allSucceeded() {
        for (Entry<T> e : entries) {
            if (!e.succeeded()) {
                return false;
            }
        }
        return true;
    }

    /** The entries that succeeded, in request order. */
    public List<Success<T>> successful() {
        List<Success<T>> out = new ArrayList<>();
        for (Entry<T> e : entries) {
            if (e instanceof Success<T> s) {
                out.add(s);
            }
        }
        return out;
    }

    /** The entries that failed, in request order. */
    public List<Failure<T>> failed() {
        List<Failure<T>> out = new ArrayList<>();
        for (Entry<T> e : entries) {
            if (e instanceof Failure<T> f) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The value of entry {@code index}; throws that entry's error if it failed.
     *
     * @throws RuntimeException the entry's {@link Failure#error()}
     */
    public T valueOrThrow(int index) {
        Entry<T> e = entries.get(index);
        if (e instanceof Success<T> s) {
            return s.value();
        }
        throw ((Failure<T>) e).error();
    }
}
