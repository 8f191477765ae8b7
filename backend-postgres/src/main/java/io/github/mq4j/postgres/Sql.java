package io.github.mq4j.postgres;

import io.github.mq4j.BackendException;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Identifier quoting and the translation of {@link SQLException}s. Stateless. */
final class Sql {
    private Sql() {}

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * {@code name} as a quoted identifier. Names are validated before they get here (a schema by
     * {@link PostgresSettings#checkSchema(String)}); this checks again, so that no other text can
     * ever be spliced into SQL as a name.
     *
     * @throws IllegalArgumentException if {@code name} is not 1 to 63 characters of {@code [a-z0-9_]}
     */
    static String quote(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid identifier for mq4j's SQL; expected 1 to 63 "
                    + "characters of [a-z0-9_], not starting with a digit");
        }
        return "\"" + name + "\"";
    }

    /** Whether {@code e} says the connection broke (SQL state class 08, connection exception). */
    static boolean isConnectionLost(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /**
     * The library's exception for a failed database call: names what failed and the SQL state, keeps
     * the {@link SQLException} as the cause. Server messages never contain the password.
     */
    static BackendException translate(String what, @Nullable String queue, SQLException e) {
        String state = e.getSQLState();
        return new BackendException("PostgreSQL: could not " + what + (queue == null ? "" : " on queue '" + queue + "'")
                + " (SQL state " + (state == null ? "unknown" : state) + "): " + e.getMessage(), queue, e);
    }
}
