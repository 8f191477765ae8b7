package io.github.mq4j.postgres;

import io.github.mq4j.BackendException;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** Identifier quoting and the translation of {@link SQLException}s. Stateless. */
final class Sql {
    private Sql() {}

    /** {@code name} as a quoted identifier; {@code name} is already validated to {@code [a-z0-9_]}. */
    static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
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
