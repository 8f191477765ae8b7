package io.github.mq4j.postgres.grants;

import io.github.mq4j.QueueClient;
import io.github.mq4j.Topology;
import io.github.mq4j.postgres.GrantedRoles;
import io.github.mq4j.postgres.PostgresTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Runs contracts of the conformance suite as a role that holds only the runtime grants of
 * {@code docs/operations.md}: each {@link #open(Topology)} runs the documentation's "migration owner
 * and runtime role" statements with fresh names, lets the owner apply the migrations, and returns a
 * client of the runtime role with migrations off. The roles and schema of the previous test are
 * dropped when the next one opens. One instance per JVM; not for parallel use.
 */
final class GrantedRoleFixture implements io.github.mq4j.testkit.BackendFixture {
    private static final GrantedRoleFixture INSTANCE = new GrantedRoleFixture();
    private @Nullable GrantedRoles current;

    private GrantedRoleFixture() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropCurrent, "granted-role-fixture-cleanup"));
    }

    static GrantedRoleFixture get() {
        return INSTANCE;
    }

    @Override
    public synchronized QueueClient open(Topology topology) {
        dropCurrent();
        current = GrantedRoles.create(GrantedRoles.Setup.OWNER_AND_RUNTIME);
        current.openAsOwner(topology).close();
        return current.openAsApp(topology, false);
    }

    private synchronized void dropCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException e) {
                // the embedded server may already be stopping at exit; it takes the roles with it
            }
            current = null;
        }
    }

    @Override
    public synchronized void advance(Duration amount) {
        PostgresTestSupport.advance(Objects.requireNonNull(current, "no client open").schema(), amount);
    }

    @Override
    public synchronized Instant now() {
        return Instant.now().plus(current == null ? Duration.ZERO : PostgresTestSupport.shift(current.schema()));
    }

    @Override
    public Duration maxAdvance() {
        return Duration.ofDays(365);
    }
}
