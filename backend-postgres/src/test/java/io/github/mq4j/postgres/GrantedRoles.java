package io.github.mq4j.postgres;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Roles and a schema made by the statements of {@code docs/operations.md} ({@link GrantsDoc}) on
 * the tests' server, each with a fresh name and password; {@link #close()} drops them again.
 */
public final class GrantedRoles implements AutoCloseable {
    /** Which setup of the documentation. */
    public enum Setup {
        /** "One role that owns its schema": its first sql block. */
        OWN_SCHEMA,
        /** "A migration owner and a runtime role with data grants only": its second sql block. */
        OWNER_AND_RUNTIME
    }

    private final GrantsDoc.Names names;
    private final List<List<String>> blocks;

    private GrantedRoles(Setup setup) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        names = new GrantsDoc.Names(TestDatabase.newSchema("granted"), "mq4j_app_" + id, "mq4j_owner_" + id,
                database(), "app-" + UUID.randomUUID(), "owner-" + UUID.randomUUID());
        blocks = GrantsDoc.blocks(names);
        if (blocks.size() != 3) {
            throw new IllegalStateException(GrantsDoc.SECTION + " of docs/operations.md has " + blocks.size()
                    + " sql blocks; this test knows 3: own schema, owner and runtime, grants on existing tables");
        }
        asAdministrator(blocks.get(setup == Setup.OWN_SCHEMA ? 0 : 1));
        // the tests' clock (not part of the documented grants): the backend reads it in place of now()
        asAdministrator(List.of("GRANT USAGE ON SCHEMA mq4j_testclock TO " + names.app(),
                "GRANT SELECT ON mq4j_testclock.shift TO " + names.app()));
    }

    /** Runs the documentation's statements for {@code setup}. */
    public static GrantedRoles create(Setup setup) {
        return new GrantedRoles(setup);
    }

    /** The schema of the queue tables. */
    public String schema() {
        return names.schema();
    }

    /** The application's (runtime) role. */
    public String app() {
        return names.app();
    }

    /** Runs the documentation's third block: the grants on tables that existed before the default privileges. */
    public void grantOnExistingTables() {
        asAdministrator(blocks.get(2));
    }

    /** A client as the migration owner, which applies the migrations. */
    public QueueClient openAsOwner(Topology topology) {
        return open(topology, names.owner(), names.ownerPassword(), true);
    }

    /** A client as the application's role, on the tests' clock of the schema. */
    public QueueClient openAsApp(Topology topology, boolean autoMigrate) {
        return open(topology, names.app(), names.appPassword(), autoMigrate);
    }

    private QueueClient open(Topology topology, String user, String password, boolean autoMigrate) {
        Map<String, String> vars = TestDatabase.config(names.schema());
        vars.put(PostgresSettings.USER, user);
        vars.put(PostgresSettings.PASSWORD, password);
        vars.put(PostgresSettings.AUTO_MIGRATE, Boolean.toString(autoMigrate));
        return QueueFactory.builder().type("postgres").topology(topology).config(ConfigSource.of(vars))
                .option(DatabaseClock.class, new DatabaseClock("mq4j_testclock.now('" + names.schema() + "')")).build();
    }

    /** Drops the schema and both roles. */
    @Override
    public void close() {
        TestDatabase.dropSchema(names.schema());
        for (String role : List.of(names.app(), names.owner())) {
            if (roleExists(role)) {
                asAdministrator(List.of("DROP OWNED BY " + role, "DROP ROLE " + role));
            }
        }
    }

    private static boolean roleExists(String role) {
        try (Connection c = TestDatabase.admin().getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String database() {
        try (Connection c = TestDatabase.admin().getConnection()) {
            return c.getCatalog();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void asAdministrator(List<String> statements) {
        try (Connection c = TestDatabase.admin().getConnection(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not run the documented grants: " + e.getMessage(), e);
        }
    }
}
