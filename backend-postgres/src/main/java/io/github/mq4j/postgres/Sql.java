package io.github.mq4j.postgres;

import io.github.mq4j.BackendException;
import io.github.mq4j.ConfigurationException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Identifier quoting, connections, and the translation of {@link SQLException}s. Stateless. */
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

    /**
     * A connection of {@code dataSource} for the backend's own statements, which commit as they
     * run (or in transactions the backend begins and ends). A connection in manual-commit mode is
     * refused: it is either a pool's configured so (the backend's statements would never commit,
     * and the pool would roll them back when they are given back) or one bound to an
     * application's transaction (the backend would commit or end it, and its session settings
     * would leak into it); the backend cannot tell which, and each loses work silently.
     *
     * @throws ConfigurationException if the connection is not in auto-commit mode
     */
    static Connection connection(DataSource dataSource) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            if (!c.getAutoCommit()) {
                throw new ConfigurationException("the DataSource given to the PostgreSQL backend handed out a connection"
                        + " in manual-commit mode (a pool set to autoCommit=false, or a connection bound to an application"
                        + " transaction); the backend commits its own statements and needs connections in auto-commit"
                        + " mode: give it a pool with auto-commit on (for transactional sends, see TransactionalSender)");
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
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
