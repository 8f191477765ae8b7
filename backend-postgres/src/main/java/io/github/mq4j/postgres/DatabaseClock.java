package io.github.mq4j.postgres;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SQL expression the backend reads the current time with, in every statement that compares
 * or stores message times. Defaults to {@code now()}, the database's transaction time, so that
 * all application instances share one clock. A test can pass another through
 * {@code QueueFactory.builder().option(DatabaseClock.class, new DatabaseClock("test_clock.now('s')"))}
 * to make time pass without sleeping. Immutable.
 *
 * @param expression a SQL expression of type {@code timestamptz}; letters, digits, {@code _ . , ' ( ) + -} and spaces only
 */
public record DatabaseClock(String expression) {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.,'() +-]{1,200}");

    /** The database's own clock: {@code now()}. */
    public static final DatabaseClock DATABASE = new DatabaseClock("now()");

    public DatabaseClock {
        Objects.requireNonNull(expression, "expression");
        if (!SAFE.matcher(expression).matches() || expression.contains("--")) {
            throw new IllegalArgumentException("clock expression '" + expression
                    + "' may only contain letters, digits, spaces and _ . , ' ( ) + -");
        }
    }
}
