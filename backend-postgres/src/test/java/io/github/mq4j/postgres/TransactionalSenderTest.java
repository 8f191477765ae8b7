package io.github.mq4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.SendResult;
import io.github.mq4j.Topology;
import io.github.mq4j.UnknownQueueException;
import io.github.mq4j.ValidationException;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sends inside the application's own transaction: the message exists iff the transaction commits. */
class TransactionalSenderTest {
    private static final String SCHEMA = TestDatabase.newSchema("txsend");
    private static final Topology TOPOLOGY = Topology.of(
            QueueSpec.standard("outbox").build(),
            QueueSpec.fifo("outbox.fifo").contentBasedDeduplication(true).build());
    private static QueueClient client;
    private static TransactionalSender sender;

    @BeforeAll
    static void open() throws Exception {
        client = TestDatabase.open(TOPOLOGY, SCHEMA);
        sender = TransactionalSender.create(client.topology(), SCHEMA);
        try (Connection c = TestDatabase.admin().getConnection()) {
            c.createStatement().execute("CREATE TABLE " + Sql.quote(SCHEMA) + ".orders (id int PRIMARY KEY)");
        }
    }

    @AfterAll
    static void close() {
        client.close();
        TestDatabase.dropSchema(SCHEMA);
    }

    @BeforeEach
    void purge() {
        client.queue("outbox").purge();
        client.queue("outbox.fifo").purge();
    }

    @Test
    void send_committed_messageExistsWithTheRowsOfTheTransaction() throws Exception {
        SendResult sent;
        try (Connection c = TestDatabase.admin().getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("INSERT INTO " + Sql.quote(SCHEMA) + ".orders VALUES (1)");
            sent = sender.send(c, "outbox", OutgoingMessage.builder("order 1").attribute("k", "v").build());
            assertThat(client.queue("outbox").receive(ReceiveRequest.of(1))).isEmpty();
            c.commit();
            c.setAutoCommit(true);
        }
        ReceivedMessage m = client.queue("outbox").receive(ReceiveRequest.of(1)).get(0);
        assertThat(m.messageId()).isEqualTo(sent.messageId());
        assertThat(m.attributes()).containsEntry("k", "v");
    }

    @Test
    void send_rolledBack_leavesNoMessage() throws Exception {
        try (Connection c = TestDatabase.admin().getConnection()) {
            c.setAutoCommit(false);
            sender.sendBatch(c, "outbox", List.of(OutgoingMessage.of("a"), OutgoingMessage.of("b")));
            sender.send(c, "outbox.fifo", OutgoingMessage.builder("f").groupId("g").build());
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(client.queue("outbox").stats().total()).isZero();
        assertThat(client.queue("outbox.fifo").stats().total()).isZero();
        // the rolled-back FIFO send left no deduplication id behind
        client.queue("outbox.fifo").send(OutgoingMessage.builder("f").groupId("g").build());
        assertThat(client.queue("outbox.fifo").stats().total()).isEqualTo(1);
    }

    @Test
    void longPollingReceiver_wakesOnCommit() throws Exception {
        CompletableFuture<List<ReceivedMessage>> waiting = CompletableFuture.supplyAsync(
                () -> client.queue("outbox").receive(ReceiveRequest.of(1, Duration.ofSeconds(20))));
        try (Connection c = TestDatabase.admin().getConnection()) {
            c.setAutoCommit(false);
            sender.send(c, "outbox", OutgoingMessage.of("wake up"));
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(waiting.get(15, TimeUnit.SECONDS)).extracting(ReceivedMessage::body).containsExactly("wake up");
    }

    @Test
    void fifo_sendsInOrder_andDeduplicates() throws Exception {
        try (Connection c = TestDatabase.admin().getConnection()) {
            c.setAutoCommit(false);
            SendResult first = sender.send(c, "outbox.fifo", OutgoingMessage.builder("one").groupId("g").build());
            sender.send(c, "outbox.fifo", OutgoingMessage.builder("two").groupId("g").build());
            assertThat(sender.send(c, "outbox.fifo", OutgoingMessage.builder("one").groupId("g").build()).messageId())
                    .isEqualTo(first.messageId());
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(client.queue("outbox.fifo").receive(ReceiveRequest.of(10))).extracting(ReceivedMessage::body)
                .containsExactly("one", "two");
    }

    @Test
    void invalidInput_isRejectedBeforeAnySql() throws Exception {
        try (Connection c = TestDatabase.admin().getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> sender.send(c, "outbox", OutgoingMessage.of(""))).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> sender.send(c, "outbox.fifo", OutgoingMessage.of("no group")))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> sender.send(c, "nope", OutgoingMessage.of("x"))).isInstanceOf(UnknownQueueException.class);
            c.rollback();
            c.setAutoCommit(true);
            assertThatThrownBy(() -> sender.send(c, "outbox", OutgoingMessage.of("x"))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void hostileInput_isRejectedWithoutSql_soTheTransactionGoesOnAndMetacharactersArriveExactly() throws Exception {
        String injection = "';DROP/**/TABLE/**/message;--";
        try (Connection c = TestDatabase.admin().getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> sender.send(c, "'; DROP TABLE message; --", OutgoingMessage.of("x")))
                    .isInstanceOf(UnknownQueueException.class);
            assertThatThrownBy(() -> sender.send(c, "outbox.fifo", OutgoingMessage.builder("x").groupId("'; DROP TABLE x").build()))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("groupId");
            assertThatThrownBy(() -> sender.send(c, "outbox", OutgoingMessage.of("nul\u0000")))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("body");
            // nothing reached the database: the transaction is not aborted
            sender.send(c, "outbox.fifo", OutgoingMessage.builder(injection).groupId(injection).attribute("k", injection).build());
            c.commit();
            c.setAutoCommit(true);
        }
        ReceivedMessage m = client.queue("outbox.fifo").receive(ReceiveRequest.of(1)).get(0);
        assertThat(m.body()).isEqualTo(injection);
        assertThat(m.groupId()).isEqualTo(injection);
        assertThat(m.attributes()).containsExactly(java.util.Map.entry("k", injection));
        assertThat(TestDatabase.relations(SCHEMA)).containsKeys("message", "queue", "dedup", "schema_version");
    }
}
