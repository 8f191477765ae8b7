package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.CONTENT_FIFO;
import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.PLAIN;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static io.github.mq4j.testkit.TestTopology.STANDARD_DLQ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mq4j.BatchResult;
import io.github.mq4j.Limits;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.QueueSpec;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.RedriveRequest;
import io.github.mq4j.SendResult;
import io.github.mq4j.StaleReceiptException;
import io.github.mq4j.UnknownQueueException;
import io.github.mq4j.ValidationException;
import io.github.mq4j.VisibilityChange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed input, through the real client: SQL, JSON and array metacharacters,
 * every character class SQS forbids, broken UTF-16, names and ids that are empty, too long or
 * non-ASCII, and receipts that are forged, tampered with, of another queue, of another backend or
 * used again after a delete. What is invalid gets a {@link ValidationException} naming the field
 * and nothing is sent; what is valid (an id may hold {@code '}, {@code ;} and {@code --}) arrives
 * exactly as sent. In every case a message sent before, the bystander, is still there and intact,
 * and the backend's storage is intact ({@link #assertStorageIntact()}).
 */
public abstract class HostileInputContract extends ConformanceTest {

    /** The classic injection: a quote that ends a string literal, then a statement. Not a valid id (spaces). */
    protected static final String INJECTION = "'; DROP TABLE message; --";
    /** The same without spaces, which makes it a valid group or deduplication id. */
    protected static final String INJECTION_ID = "';DROP/**/TABLE/**/message;--";

    /**
     * Checks that the backend's own storage survived the test: a backend with a database schema
     * checks that its tables are all there. Called at the end of every test of this contract.
     * Defaults to doing nothing, for backends without such storage.
     */
    protected void assertStorageIntact() {}

    // ---------------------------------------------------------------- the bystander

    /** A message sent before the hostile input, which nothing may change. */
    private record Bystander(MessageQueue queue, OutgoingMessage message, SendResult sent) {}

    private Bystander sendBystander(MessageQueue queue) {
        OutgoingMessage.Builder m = OutgoingMessage.builder("bystander of " + queue.name() + " with ' \" \\ ; -- {NULL}")
                .attribute("role", "bystander");
        if (queue.spec().fifo()) {
            m.groupId("bystander-group").deduplicationId("bystander-1");
        }
        OutgoingMessage message = m.build();
        return new Bystander(queue, message, queue.send(message));
    }

    /** Asserts that the bystander is the one message of its queue, visible, and exactly as sent; leaves it visible. */
    private void assertOnlyBystander(Bystander b) {
        awaitCounts(b.queue(), 1, 0, 0);
        ReceivedMessage m = receiveOne(b.queue(), HOLD);
        assertIsBystander(b, m, 1);
        assertNothingToReceive(b.queue());
        b.queue().changeVisibility(m, Duration.ZERO);
        assertStorageIntact();
    }

    private static void assertIsBystander(Bystander b, ReceivedMessage m, int receiveCount) {
        assertThat(m.messageId()).as("message id of the bystander").isEqualTo(b.sent().messageId());
        assertThat(m.body()).isEqualTo(b.message().body());
        assertThat(m.attributes()).isEqualTo(b.message().attributes());
        assertThat(m.groupId()).isEqualTo(b.message().groupId());
        assertThat(m.receiveCount()).as("receive count of the bystander").isEqualTo(receiveCount);
    }

    /**
     * Asserts that {@code send} is refused with a {@link ValidationException} for {@code field}
     * naming it and each of {@code mentions}, and that the bystander is still the only message.
     */
    private void assertSendRefused(Bystander b, String field, OutgoingMessage message, String... mentions) {
        assertValidationError(b.queue(), field, () -> b.queue().send(message), mentions);
        BatchResult<SendResult> batch = b.queue().sendBatch(List.of(message));
        assertThat(batch.get(0).succeeded()).as("batch entry of %s", message).isFalse();
        assertThat(((BatchResult.Failure<SendResult>) batch.get(0)).error())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    // ---------------------------------------------------------------- bodies

    @Test
    void body_withEachForbiddenCharacterClass_isRejectedNamingTheCharacter() {
        MessageQueue q = queue(STANDARD);
        Bystander b = sendBystander(q);
        // below #x20 except tab, line feed and carriage return; and #xFFFE-#xFFFF
        for (char c : new char[] {0x0, 0x1, 0x8, 0xB, 0xC, 0xE, 0x1F, 0xFFFE, 0xFFFF}) {
            String hex = String.format("U+%04X", (int) c);
            assertSendRefused(b, "body", OutgoingMessage.of("before" + c + "after"), hex);
            assertSendRefused(b, "attributes[key]", OutgoingMessage.builder("ok").attribute("key", "v" + c).build(), hex);
        }
        assertOnlyBystander(b);
    }

    @Test
    void body_withInvalidUtf16_isRejectedNamingTheSurrogate() {
        MessageQueue q = queue(STANDARD);
        Bystander b = sendBystander(q);
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("lone high surrogate at the end", "abc\ud800");
        broken.put("lone high surrogate before text", "\ud83dabc");
        broken.put("lone low surrogate", "abc\udc00def");
        broken.put("pair in reverse order", "\ude00\ud83d");
        broken.put("two high surrogates", "\ud83d\ud83d\ude00");
        for (Map.Entry<String, String> e : broken.entrySet()) {
            String text = e.getValue();
            int at = firstUnpaired(text);
            String hex = String.format("U+%04X", (int) text.charAt(at));
            assertValidationError(q, "body", () -> q.send(text), hex, "index " + at, "surrogate");
            assertValidationError(q, "attributes[k]", () -> q.send(OutgoingMessage.builder("ok").attribute("k", text).build()),
                    hex);
        }
        assertOnlyBystander(b);
    }

    private static int firstUnpaired(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no unpaired surrogate in the test string");
    }

    @Test
    void body_ofOneMebibytePlusOneByte_isRejectedOnEveryQueue() {
        for (String name : new String[] {STANDARD, TestTopology.LARGE}) {
            MessageQueue q = queue(name);
            Bystander b = sendBystander(q);
            String body = "x".repeat(Limits.MAX_MAX_MESSAGE_SIZE + 1);
            assertValidationError(q, "body", () -> q.send(body), String.valueOf(Limits.MAX_MAX_MESSAGE_SIZE + 1),
                    String.valueOf(q.spec().maxMessageSize()));
            assertOnlyBystander(b);
        }
    }

    @Test
    void bodies_withAllowedEdgeCharactersAndMetacharacters_arriveExactlyAsSent() {
        MessageQueue q = queue(STANDARD);
        List<String> bodies = List.of(
                "\t", "\n", "\r", "\r\n", " ", "  leading and trailing spaces  ",
                "\u007f\u0080\u009f", "\ud7ff", "\ue000", "\ufffd", "\ud800\udc00", "\udbff\udfff",
                "\u2028\u2029\u00a0\ufeff",
                INJECTION, "' OR '1'='1", "\"; DROP TABLE \"message\"; --", "$$; DROP TABLE message; $$",
                "NULL", "null", "{NULL}", "{a,b}", "{\"a\",\"b\"}", "\\", "\\\\'", "\\u0000", "%s%n%%_*",
                "{\"key\": \"value\", \"nested\": [1, 2, null]}", "<xml attr='x'>&amp;</xml>", "]]>",
                "mq4j_test ${schema} :name ? $1");
        Map<String, String> byId = new LinkedHashMap<>();
        for (String body : bodies) {
            byId.put(q.send(body).messageId(), body);
        }

        List<ReceivedMessage> received = receiveAll(q, bodies.size());

        for (ReceivedMessage m : received) {
            assertThat(m.body()).as("body of message %s", m.messageId()).isEqualTo(byId.get(m.messageId()));
        }
        assertThat(received).extracting(ReceivedMessage::messageId).containsExactlyInAnyOrderElementsOf(byId.keySet());
        assertStorageIntact();
    }

    // ---------------------------------------------------------------- attributes

    @Test
    void attributes_overCountOrWithInvalidNamesOrValues_areRejectedNamingTheAttribute() {
        MessageQueue q = queue(STANDARD);
        Bystander b = sendBystander(q);
        assertSendRefused(b, "attributes", withAttributes("b", Limits.MAX_ATTRIBUTES + 1),
                String.valueOf(Limits.MAX_ATTRIBUTES + 1), String.valueOf(Limits.MAX_ATTRIBUTES));
        for (String name : new String[] {"", INJECTION, "x';DROP", "quote\"", "back\\slash", "na\u00efve", "\u65e5\u672c",
                "tab\t", "nul\u0000", "n".repeat(Limits.MAX_ATTRIBUTE_NAME_LENGTH + 1), ".", "a..b", "AWS.x", "mq4j.x"}) {
            assertSendRefused(b, "attributes", OutgoingMessage.builder("b").attribute(name, "v").build());
        }
        assertSendRefused(b, "attributes[k]", OutgoingMessage.builder("b").attribute("k", "").build(), "empty");
        assertOnlyBystander(b);
    }

    @Test
    void attributes_withMetacharactersInNamesAndValues_arriveExactlyAsSent() {
        MessageQueue q = queue(STANDARD);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("injection", INJECTION);
        attributes.put("json", "\"}, \"x\": {\"y\": \"");
        attributes.put("backslashes", "\\ \\\\ \\u0000 \\n");
        attributes.put("null", "NULL");
        attributes.put("whitespace", "\t\n\r ");
        attributes.put("edges", "\u007f\ud7ff\ue000\ufffd\ud800\udc00\udbff\udfff\u2028");
        attributes.put("array", "{a,\"b\",NULL}");
        attributes.put("with.dots-and_under", "$$ ' $1 ? :x");
        attributes.put("CaseMatters", "upper");
        attributes.put("n".repeat(Limits.MAX_ATTRIBUTE_NAME_LENGTH), "longest name");
        assertThat(attributes).hasSize(Limits.MAX_ATTRIBUTES);

        q.send(OutgoingMessage.builder(INJECTION).attributes(attributes).build());

        ReceivedMessage m = receiveOne(q);
        assertThat(m.body()).isEqualTo(INJECTION);
        assertThat(m.attributes()).isEqualTo(attributes);
        assertStorageIntact();
    }

    // ---------------------------------------------------------------- group and deduplication ids

    /** Valid ids: 1 to 128 of the characters {@code !} to {@code ~}, whatever they mean to SQL. */
    private static List<String> metacharacterIds() {
        StringBuilder everyAllowed = new StringBuilder();
        for (char c = '!'; c <= '~'; c++) {
            everyAllowed.append(c);
        }
        return List.of(INJECTION_ID, "'", "''", "\"", "\\", "NULL", "{a,b}", "$$", "%_*", "?:$1", "--", "/*", "\\x00",
                everyAllowed.toString(), "'".repeat(Limits.MAX_ID_LENGTH), ("\\'" + INJECTION_ID).repeat(8).substring(0, 128));
    }

    @Test
    void groupAndDeduplicationIds_withSqlMetacharacters_arriveExactlyAsSentAndDeduplicate() {
        MessageQueue q = queue(FIFO);
        List<String> ids = metacharacterIds();
        Map<String, String> messageIdByGroup = new LinkedHashMap<>();
        for (String id : ids) {
            SendResult sent = q.send(OutgoingMessage.builder("body of " + id).groupId(id).deduplicationId(id).build());
            messageIdByGroup.put(id, sent.messageId());
        }

        for (String id : ids) {
            SendResult again = q.send(OutgoingMessage.builder("second send of " + id).groupId(id).deduplicationId(id).build());
            assertThat(again.messageId()).as("deduplicated send with id %s", id).isEqualTo(messageIdByGroup.get(id));
        }
        List<ReceivedMessage> received = receiveAll(q, ids.size());

        for (ReceivedMessage m : received) {
            assertThat(m.groupId()).isIn(ids);
            assertThat(m.deduplicationId()).isEqualTo(m.groupId());
            assertThat(m.body()).isEqualTo("body of " + m.groupId());
            assertThat(m.messageId()).isEqualTo(messageIdByGroup.get(m.groupId()));
        }
        assertThat(received).extracting(ReceivedMessage::groupId).containsExactlyInAnyOrderElementsOf(ids);
        assertStorageIntact();
    }

    @Test
    void groupIds_withMetacharacters_areDistinctGroupsKeepingTheirOrder() {
        MessageQueue q = queue(CONTENT_FIFO);
        q.send(OutgoingMessage.builder("first").groupId("'").build());
        q.send(OutgoingMessage.builder("second").groupId("'").build());
        q.send(OutgoingMessage.builder("other").groupId("''").build());

        List<ReceivedMessage> delivered = receiveAndDeleteAll(q, 3);

        List<String> bodies = bodies(delivered);
        assertThat(bodies).containsExactlyInAnyOrder("first", "second", "other");
        assertThat(bodies.indexOf("first")).as("order within group '").isLessThan(bodies.indexOf("second"));
        for (ReceivedMessage m : delivered) {
            assertThat(m.groupId()).isEqualTo(m.body().equals("other") ? "''" : "'");
        }
        assertStorageIntact();
    }

    @Test
    void groupAndDeduplicationIds_thatAreInvalid_areRejectedNamingTheField() {
        MessageQueue q = queue(FIFO);
        Bystander b = sendBystander(q);
        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put(INJECTION, "U+0020");
        invalid.put("", "0 characters");
        invalid.put("x".repeat(Limits.MAX_ID_LENGTH + 1), String.valueOf(Limits.MAX_ID_LENGTH + 1));
        invalid.put("caf\u00e9", "U+00E9");
        invalid.put("\u65e5\u672c", "U+65E5");
        invalid.put("emoji\ud83d\ude00", "U+D83D");
        invalid.put("tab\t", "U+0009");
        invalid.put("nul\u0000", "U+0000");
        invalid.put("del\u007f", "U+007F");
        for (Map.Entry<String, String> e : invalid.entrySet()) {
            String id = e.getKey();
            assertSendRefused(b, "groupId", OutgoingMessage.builder("b").groupId(id).deduplicationId("d").build(), e.getValue());
            assertSendRefused(b, "deduplicationId", OutgoingMessage.builder("b").groupId("g").deduplicationId(id).build(),
                    e.getValue());
        }
        assertOnlyBystander(b);
    }

    // ---------------------------------------------------------------- queue names

    /** Queue names that no topology can hold. */
    private static List<String> hostileQueueNames() {
        return List.of(INJECTION, STANDARD + "'--", STANDARD + ";", STANDARD + "\"", "\"" + STANDARD + "\"", "",
                " " + STANDARD, STANDARD + "\u0000", "st\u00e4ndard", "\u65e5\u672c", "q".repeat(129), "../" + STANDARD,
                STANDARD + "%", STANDARD + "*");
    }

    @Test
    void queueName_thatIsHostile_isUnknownQueueListingTheKnownOnes() {
        MessageQueue q = queue(STANDARD);
        Bystander b = sendBystander(q);
        for (String name : hostileQueueNames()) {
            assertThatThrownBy(() -> client().queue(name))
                    .as("queue(%s)", name)
                    .isInstanceOf(UnknownQueueException.class)
                    .hasMessageContaining("unknown queue '")
                    .hasMessageContaining(STANDARD)
                    .satisfies(e -> assertNamesHostileQueue((UnknownQueueException) e, name));
        }
        assertOnlyBystander(b);
    }

    @Test
    void queueName_thatIsHostile_cannotBeInAQueueSpec() {
        for (String name : hostileQueueNames()) {
            assertThatThrownBy(() -> QueueSpec.standard(name).build())
                    .as("QueueSpec.standard(%s)", name)
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.field()).isEqualTo("name");
                        assertThat(e.getMessage()).contains("queue name");
                    });
            assertThatThrownBy(() -> QueueSpec.fifo(name + ".fifo").build())
                    .as("QueueSpec.fifo(%s.fifo)", name)
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
        }
        String longest = "q".repeat(Limits.MAX_QUEUE_NAME_LENGTH);
        assertThat(QueueSpec.standard(longest).build().name()).isEqualTo(longest);
        assertThatThrownBy(() -> QueueSpec.standard(longest + "q").build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(String.valueOf(Limits.MAX_QUEUE_NAME_LENGTH + 1))
                .hasMessageContaining(String.valueOf(Limits.MAX_QUEUE_NAME_LENGTH));
    }

    @Test
    void redrive_toAHostileDestination_isUnknownQueueAndMovesNothing() {
        MessageQueue dlq = queue(STANDARD_DLQ);
        Bystander b = sendBystander(dlq);
        for (String name : hostileQueueNames()) {
            assertThatThrownBy(() -> dlq.redrive(RedriveRequest.to(name)))
                    .as("redrive to %s", name)
                    .isInstanceOf(UnknownQueueException.class)
                    .satisfies(e -> assertNamesHostileQueue((UnknownQueueException) e, name));
        }
        assertOnlyBystander(b);
        assertQueueEmpty(queue(STANDARD));
        assertQueueEmpty(queue(PLAIN));
    }

    /**
     * The exception carries the name as given, and its message repeats it without a control
     * character (escaped), so that a hostile name cannot forge a log line.
     */
    private static void assertNamesHostileQueue(UnknownQueueException e, String name) {
        assertThat(e.field()).isEqualTo("queue");
        assertThat(e.queue()).isEqualTo(name);
        assertThat(e.getMessage()).doesNotContainPattern("\\p{Cntrl}");
    }

    // ---------------------------------------------------------------- receipts

    /** Receipts no backend issued: each must be a {@link ValidationException} for {@code receipt}. */
    private static List<String> forgedReceipts(ReceivedMessage real) {
        String receipt = real.receipt();
        return List.of("forged", INJECTION, "' OR '1'='1", receipt + INJECTION, receipt + "'", receipt + "\u0000",
                receipt.substring(0, receipt.length() / 2), INJECTION + receipt, receipt.replace(STANDARD, INJECTION),
                "x".repeat(10_000), "\ud83d\ude00", "\ud800", "1", "-1", "9223372036854775808",
                receipt + "\nWARN a forged log line", receipt.replace(STANDARD, STANDARD + "\nWARN a forged log line"));
    }

    /**
     * Asserts that {@code receipt} neither deletes nor changes the bystander held under
     * {@code held}: each operation is refused with a {@link ValidationException} for {@code receipt}
     * or, where {@code staleAllowed}, treated as a receipt that is no longer current.
     */
    private void assertReceiptChangesNothing(MessageQueue q, String receipt, boolean staleAllowed) {
        Throwable deleted = catchThrowable(() -> q.delete(receipt));
        if (deleted != null || !staleAllowed) {
            assertReceiptError(q, "delete", receipt, deleted);
        }
        Throwable changed = catchThrowable(() -> q.changeVisibility(receipt, Duration.ZERO));
        if (!(staleAllowed && changed instanceof StaleReceiptException)) {
            assertReceiptError(q, "changeVisibility", receipt, changed);
        }
        BatchResult<String> batch = q.changeVisibilityBatch(List.of(new VisibilityChange(receipt, Duration.ZERO)));
        assertThat(batch.get(0).succeeded()).as("changeVisibilityBatch with %s", abbreviate(receipt)).isFalse();
        BatchResult<String> deletes = q.deleteBatch(List.of(receipt));
        if (!staleAllowed) {
            assertThat(deletes.get(0).succeeded()).as("deleteBatch with %s", abbreviate(receipt)).isFalse();
            assertReceiptError(q, "deleteBatch", receipt, ((BatchResult.Failure<String>) deletes.get(0)).error());
        }
    }

    private static void assertReceiptError(MessageQueue q, String operation, String receipt, Throwable thrown) {
        assertThat(thrown).as("%s with receipt %s", operation, abbreviate(receipt))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("receipt");
                    assertThat(e.queue()).isEqualTo(q.name());
                    assertThat(e.getMessage()).contains("receipt");
                    assertThat(e.getMessage()).as("the error repeats no made-up text").doesNotContain("DROP", "\n", "forged");
                });
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? "'" + s + "'" : "'" + s.substring(0, 60) + "…' (" + s.length() + " chars)";
    }

    /** Asserts that the bystander is still in flight under {@code held} and unchanged, then lets it go. */
    private void assertBystanderStillHeld(Bystander b, ReceivedMessage held) {
        awaitCounts(b.queue(), 0, 1, 0);
        assertNothingToReceive(b.queue());
        b.queue().changeVisibility(held, Duration.ZERO); // the receipt is still current
        assertIsBystander(b, receiveOne(b.queue(), HOLD), 2);
        assertStorageIntact();
    }

    @Test
    void receipt_thatIsForged_isRejectedAndTouchesNothing() {
        MessageQueue q = queue(STANDARD);
        Bystander b = sendBystander(q);
        ReceivedMessage held = receiveOne(q, HOLD);

        for (String forged : forgedReceipts(held)) {
            assertReceiptChangesNothing(q, forged, false);
        }
        BatchResult<String> batch = q.deleteBatch(forgedReceipts(held).subList(0, 10));
        assertThat(batch.failed()).hasSize(10);

        assertBystanderStillHeld(b, held);
    }

    @Test
    void receipt_thatIsTamperedWith_neverReachesAnotherMessage() {
        MessageQueue q = queue(STANDARD);
        Bystander b = sendBystander(q);
        ReceivedMessage held = receiveOne(q, HOLD);
        String r = held.receipt();
        List<String> tampered = new ArrayList<>();
        for (int i : new int[] {0, r.length() / 2, r.length() - 1}) {
            char c = r.charAt(i);
            char other = c == '0' ? '1' : c == '9' ? '8' : Character.isDigit(c) ? (char) (c + 1) : c == 'a' ? 'b' : 'a';
            tampered.add(r.substring(0, i) + other + r.substring(i + 1));
        }

        for (String t : tampered) {
            // a tampered receipt may still parse as one of this backend's, for no current message: stale
            assertReceiptChangesNothing(q, t, true);
        }

        assertBystanderStillHeld(b, held);
    }

    @Test
    void receipt_ofAnotherQueue_isRejectedInEveryOperation() {
        MessageQueue standard = queue(STANDARD);
        MessageQueue fifo = queue(FIFO);
        Bystander s = sendBystander(standard);
        Bystander f = sendBystander(fifo);
        ReceivedMessage heldS = receiveOne(standard, HOLD);
        ReceivedMessage heldF = receiveOne(fifo, HOLD);

        assertReceiptChangesNothing(fifo, heldS.receipt(), false);
        assertReceiptChangesNothing(standard, heldF.receipt(), false);
        assertReceiptChangesNothing(queue(PLAIN), heldS.receipt(), false);
        assertThatThrownBy(() -> queue(PLAIN).moveToDeadLetter(heldS)).isInstanceOf(ValidationException.class);

        assertBystanderStillHeld(s, heldS);
        assertBystanderStillHeld(f, heldF);
    }

    @Test
    void receipt_fromAnotherBackendOrClient_isRejected() {
        MessageQueue q = queue(STANDARD);
        Bystander b = sendBystander(q);
        ReceivedMessage held = receiveOne(q, HOLD);
        List<String> foreign = new ArrayList<>();
        try (QueueClient other = QueueFactory.builder().type("memory").topology(topology()).build()) {
            MessageQueue same = other.queue(STANDARD);
            same.send(b.message());
            foreign.add(same.receive(ReceiveRequest.of(1)).get(0).receipt());
        }
        // the receipt formats of the other built-in backends, for this queue and the bystander's id
        if (!client().type().equals("postgres")) {
            foreign.add("pg1:1:1:" + STANDARD);
        }
        if (!client().type().equals("sqs")) {
            foreign.add(sqsStyleReceipt(STANDARD, held.messageId(), "AQEB" + "x".repeat(40)));
        }

        for (String receipt : foreign) {
            assertReceiptChangesNothing(q, receipt, false);
        }

        assertBystanderStillHeld(b, held);
    }

    private static String sqsStyleReceipt(String queue, String messageId, String handle) {
        CRC32 crc = new CRC32();
        crc.update((queue + "~" + messageId + "~" + handle).getBytes(StandardCharsets.UTF_8));
        return queue + "~" + messageId + "~" + Long.toHexString(crc.getValue()) + "~" + handle;
    }

    @Test
    void receipt_usedAgainAfterDelete_changesNothing() {
        MessageQueue q = queue(STANDARD);
        q.send("deleted");
        ReceivedMessage deleted = receiveOne(q, HOLD);
        q.delete(deleted);
        Bystander b = sendBystander(q);
        ReceivedMessage held = receiveOne(q, HOLD);

        q.delete(deleted); // a stale receipt: does nothing, as on SQS
        assertThatThrownBy(() -> q.changeVisibility(deleted, Duration.ZERO)).isInstanceOf(StaleReceiptException.class);
        assertReceiptChangesNothing(q, deleted.receipt(), true);

        assertBystanderStillHeld(b, held);
    }

    @Test
    void receipt_usedAgainAfterDelete_neverReachesTheNextMessageOfItsGroup() {
        MessageQueue q = queue(FIFO);
        q.send(OutgoingMessage.builder("first").groupId("bystander-group").deduplicationId("first").build());
        Bystander b = sendBystander(q);
        ReceivedMessage first = receiveOne(q, HOLD);
        assertThat(first.body()).isEqualTo("first");
        q.delete(first);
        ReceivedMessage held = receiveOne(q, HOLD);

        q.delete(first);
        assertReceiptChangesNothing(q, first.receipt(), true);

        assertBystanderStillHeld(b, held);
    }

    // ---------------------------------------------------------------- batches

    @Test
    void sendBatch_withHostileEntries_failsThoseAloneNamingTheirFieldsAndSendsTheRest() {
        MessageQueue q = queue(STANDARD);
        List<OutgoingMessage> batch = List.of(
                OutgoingMessage.of(INJECTION),
                OutgoingMessage.of("nul\u0000"),
                OutgoingMessage.of("\ud800"),
                withAttributes("b", Limits.MAX_ATTRIBUTES + 1),
                OutgoingMessage.builder("b").groupId(INJECTION_ID).build(),
                OutgoingMessage.builder("b").attribute(INJECTION, "v").build(),
                OutgoingMessage.of("x".repeat(Limits.MAX_MAX_MESSAGE_SIZE + 1)),
                OutgoingMessage.of(""),
                OutgoingMessage.builder("fine too").attribute("k", INJECTION).build());

        BatchResult<SendResult> result = q.sendBatch(batch);

        assertThat(result.entries()).extracting(BatchResult.Entry::succeeded)
                .containsExactly(true, false, false, false, false, false, false, false, true);
        List<String> fields = new ArrayList<>();
        for (BatchResult.Failure<SendResult> failure : result.failed()) {
            assertThat(failure.error()).isInstanceOf(ValidationException.class);
            ValidationException e = (ValidationException) failure.error();
            assertThat(e.getMessage()).contains(e.field());
            fields.add(e.field());
        }
        assertThat(fields).containsExactly("body", "body", "attributes", "groupId", "attributes", "body", "body");
        List<ReceivedMessage> received = receiveAll(q, 2);
        assertThat(received).extracting(ReceivedMessage::body).containsExactlyInAnyOrder(INJECTION, "fine too");
        assertThat(received).extracting(ReceivedMessage::messageId)
                .containsExactlyInAnyOrder(result.valueOrThrow(0).messageId(), result.valueOrThrow(8).messageId());
        assertStorageIntact();
    }
}
