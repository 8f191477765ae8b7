package io.github.mq4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.BackendException;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.MessageQueueException;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backend works with exactly the grants of docs/operations.md (section "PostgreSQL grants",
 * whose statements these tests run; {@code io.github.mq4j.postgres.grants} runs parts of the
 * conformance suite the same way), and fails clearly without them.
 */
class PostgresGrantsTest {
    private static final Topology TOPOLOGY = Topology.of(
            QueueSpec.standard("jobs").deadLetter("dead", 3).build(),
            QueueSpec.standard("dead").build(),
            QueueSpec.fifo("ordered.fifo").build());

    @Test
    void theDocumentedSection_hasTheStatementsOfBothSetups() {
        String section = GrantsDoc.section();
        assertThat(section).contains("CREATE SCHEMA mq4j AUTHORIZATION mq4j_app", "ALTER DEFAULT PRIVILEGES FOR ROLE mq4j_owner");
        assertThat(section).doesNotContain("SUPERUSER").doesNotContain("GRANT ALL");
    }

    @Test
    void roleOwningItsSchema_appliesTheMigrationsWithoutCreateOnTheDatabase() {
        try (GrantedRoles roles = GrantedRoles.create(GrantedRoles.Setup.OWN_SCHEMA);
                QueueClient client = roles.openAsApp(TOPOLOGY, true)) {
            exercise(client);
        }
    }

    @Test
    void runtimeRole_worksWithMigrationsOffOrOnOnceTheOwnerMigrated() {
        try (GrantedRoles roles = GrantedRoles.create(GrantedRoles.Setup.OWNER_AND_RUNTIME)) {
            roles.openAsOwner(TOPOLOGY).close();
            try (QueueClient client = roles.openAsApp(TOPOLOGY, false)) {
                exercise(client);
            }
            try (QueueClient client = roles.openAsApp(TOPOLOGY, true)) {
                exercise(client);
            }
        }
    }

    @Test
    void runtimeRole_beforeTheOwnerMigrated_failsNamingTheCause() {
        try (GrantedRoles roles = GrantedRoles.create(GrantedRoles.Setup.OWNER_AND_RUNTIME)) {
            assertThatThrownBy(() -> roles.openAsApp(TOPOLOGY, false))
                    .isInstanceOf(MessageQueueException.class)
                    .hasMessageContaining("version 0").hasMessageContaining("apply the migrations");
            assertThatThrownBy(() -> roles.openAsApp(TOPOLOGY, true))
                    .isInstanceOf(BackendException.class)
                    .hasMessageContaining("42501").hasMessageContaining("permission denied");
        }
    }

    @Test
    void grantsOnExistingTables_letTheRuntimeRoleUseTablesMadeBeforeTheDefaultPrivileges() throws SQLException {
        try (GrantedRoles roles = GrantedRoles.create(GrantedRoles.Setup.OWNER_AND_RUNTIME)) {
            roles.openAsOwner(TOPOLOGY).close();
            // as if the owner had created the tables before the default privileges were set
            try (Connection c = TestDatabase.admin().getConnection()) {
                c.createStatement().execute("REVOKE ALL ON ALL TABLES IN SCHEMA " + roles.schema() + " FROM " + roles.app());
                c.createStatement().execute("REVOKE ALL ON ALL SEQUENCES IN SCHEMA " + roles.schema() + " FROM " + roles.app());
            }
            assertThatThrownBy(() -> roles.openAsApp(TOPOLOGY, false))
                    .isInstanceOf(BackendException.class).hasMessageContaining("permission denied");

            roles.grantOnExistingTables();

            try (QueueClient client = roles.openAsApp(TOPOLOGY, false)) {
                exercise(client);
            }
        }
    }

    @Test
    void runtimeRole_mayNotVacuum_soTheSweeperLeavesItToAutovacuum() throws Exception {
        try (GrantedRoles roles = GrantedRoles.create(GrantedRoles.Setup.OWNER_AND_RUNTIME)) {
            roles.openAsOwner(TOPOLOGY).close();
            long dead = Sweeper.VACUUM_MIN_DEAD + 5_000;
            try (Connection c = TestDatabase.admin().getConnection()) {
                String table = roles.schema() + ".message";
                c.createStatement().execute("INSERT INTO " + table + " (queue_id, head, visible_at, sent_at, message_id, body)"
                        + " SELECT (SELECT min(id) FROM " + roles.schema() + ".queue), true, now(), now(), gen_random_uuid(), 'x'"
                        + " FROM generate_series(1, " + dead + ")");
                c.createStatement().execute("DELETE FROM " + table);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                long counted = 0;
                while (counted < dead && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    try (var rs = c.createStatement().executeQuery(
                            "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = '" + table + "'::regclass")) {
                        counted = rs.next() ? rs.getLong(1) : 0;
                    }
                }
                assertThat(counted).as("dead rows the statistics count").isGreaterThanOrEqualTo(dead);
            }
            try (QueueClient app = roles.openAsApp(TOPOLOGY, false)) {
                PostgresBackend backend = ((PostgresBackendAccess) () -> app).backend();
                assertThat(backend.vacuumNow()).as("a vacuum by a role that does not own the table").isFalse();
                assertThat(backend.vacuumNow()).as("and it does not try again").isFalse();
            }
            try (QueueClient owner = roles.openAsOwner(TOPOLOGY)) {
                assertThat(((PostgresBackendAccess) () -> owner).backend().vacuumNow()).as("a vacuum by the owner").isTrue();
            }
        }
    }

    /** Send, receive, delete, visibility, FIFO, dead letters, redrive, stats, purge and a sweep. */
    private static void exercise(QueueClient client) {
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        MessageQueue jobs = client.queue("jobs");
        MessageQueue dead = client.queue("dead");
        MessageQueue fifo = client.queue("ordered.fifo");
        jobs.sendBatch(List.of(OutgoingMessage.of("a"), OutgoingMessage.builder("b").attribute("k", "v").build()));
        List<ReceivedMessage> got = receive(jobs, 2);
        ReceivedMessage a = got.get(0).body().equals("a") ? got.get(0) : got.get(1);
        ReceivedMessage b = got.get(0).body().equals("b") ? got.get(0) : got.get(1);
        jobs.delete(a);
        jobs.changeVisibility(b, Duration.ZERO);
        ReceivedMessage again = receive(jobs, 1).get(0);
        assertThat(again.receiveCount()).isEqualTo(2);
        jobs.moveToDeadLetter(again);
        assertThat(dead.stats().visible()).isEqualTo(1);
        assertThat(dead.redrive(RedriveRequest.toSource()).moved()).isEqualTo(1);
        assertThat(receive(jobs, 1).get(0).attributes()).containsEntry("k", "v");

        fifo.send(OutgoingMessage.builder("1").groupId("g" + run).deduplicationId("d1" + run).build());
        fifo.send(OutgoingMessage.builder("2").groupId("g" + run).deduplicationId("d2" + run).build());
        fifo.send(OutgoingMessage.builder("1 again").groupId("g" + run).deduplicationId("d1" + run).build());
        assertThat(fifo.stats().visible()).as("visible after two sends and one deduplicated").isEqualTo(2);
        ReceivedMessage first = receive(fifo, 1).get(0);
        assertThat(first.body()).isEqualTo("1");
        fifo.delete(first);
        assertThat(receive(fifo, 1).get(0).body()).isEqualTo("2");

        dead.send("x");
        dead.purge();
        assertThat(dead.stats().total()).isZero();
        assertThat(((PostgresBackendAccess) () -> client).backend().sweepNow()).as("a sweep ran").isTrue();
    }

    private static List<ReceivedMessage> receive(MessageQueue queue, int count) {
        List<ReceivedMessage> got = queue.receive(ReceiveRequest.builder().maxMessages(count)
                .waitTime(Duration.ofSeconds(5)).visibilityTimeout(Duration.ofSeconds(60)).build());
        assertThat(got).as("received from %s", queue.name()).hasSize(count);
        return got;
    }
}
