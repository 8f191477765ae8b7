package io.github.mq4j.testkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageLedgerTest {
    private final MessageLedger ledger = new MessageLedger("t1");

    @Test
    void everySentMessageHandledOnceIsClean() {
        String a = ledger.newBody(null);
        String b = ledger.newBody("g");
        ledger.sent(a);
        ledger.sent(b);
        assertThat(ledger.handled(a)).isTrue();
        assertThat(ledger.allSentHandled()).isFalse();
        ledger.handled(b);

        MessageLedger.Report report = ledger.report();
        assertThat(report.clean()).isTrue();
        assertThat(report.sent()).isEqualTo(2);
        assertThat(report.handled()).isEqualTo(2);
        assertThat(report.duplicates()).isZero();
        assertThat(ledger.allSentHandled()).isTrue();
    }

    @Test
    void aSentMessageNeverHandledIsLost() {
        String a = ledger.newBody(null);
        ledger.sent(a);
        assertThat(ledger.report().lost()).hasSize(1);
        assertThat(ledger.report().clean()).isFalse();
        assertThat(ledger.report().toString()).contains("lost 1");
    }

    @Test
    void anUncertainSendIsNeitherLostNorADuplicate() {
        String a = ledger.newBody(null);
        String b = ledger.newBody(null);
        ledger.uncertain(a);
        ledger.uncertain(b);
        ledger.handled(b);
        MessageLedger.Report report = ledger.report();
        assertThat(report.clean()).isTrue();
        assertThat(report.uncertain()).isEqualTo(2);
        assertThat(report.uncertainHandled()).isEqualTo(1);
    }

    @Test
    void aRedeliveryIsADuplicateAndNotAnOrderViolation() {
        String first = ledger.newBody("g");
        String second = ledger.newBody("g");
        ledger.sent(first);
        ledger.sent(second);
        ledger.handled(first);
        ledger.handled(second);
        assertThat(ledger.handled(first)).isFalse();
        ledger.handled(second);
        MessageLedger.Report report = ledger.report();
        assertThat(report.clean()).isTrue();
        assertThat(report.duplicates()).isEqualTo(2);
    }

    @Test
    void aLaterMessageOfAGroupHandledFirstIsAnOrderViolation() {
        String first = ledger.newBody("g");
        String second = ledger.newBody("g");
        String otherGroup = ledger.newBody("h");
        ledger.handled(second);
        ledger.handled(otherGroup);
        ledger.handled(first);
        assertThat(ledger.report().orderViolations()).containsExactly("group g: message 0 first handled after 1");
    }

    @Test
    void standardQueueMessagesHaveNoOrder() {
        String first = ledger.newBody(null);
        String second = ledger.newBody(null);
        ledger.handled(second);
        ledger.handled(first);
        assertThat(ledger.report().orderViolations()).isEmpty();
    }

    @Test
    void twoHandlersOnOneMessageAtOnceAreReported() {
        String a = ledger.newBody(null);
        ledger.begin(a);
        ledger.begin(a);
        ledger.end(a);
        ledger.end(a);
        ledger.begin(a);
        ledger.end(a);
        assertThat(ledger.report().concurrentHandlings()).hasSize(1);
    }

    @Test
    void aMessageHandledButNeverSentIsReported() {
        String committed = ledger.newBody(null);
        String rolledBack = ledger.newBody(null);
        ledger.sent(committed);
        ledger.handled(committed);
        ledger.handled(rolledBack);
        MessageLedger.Report report = ledger.report();
        assertThat(report.neverSent()).hasSize(1);
        assertThat(report.clean()).isFalse();
        assertThat(report.toString()).contains("never sent 1");
    }

    @Test
    void twoMessagesOfAGroupRunningAtOnceAreAGroupOverlap() {
        String first = ledger.newBody("g");
        String second = ledger.newBody("g");
        String otherGroup = ledger.newBody("h");
        ledger.begin(first);
        ledger.handled(otherGroup);
        ledger.begin(second);
        ledger.end(second);
        ledger.end(first);
        ledger.handled(second);
        assertThat(ledger.report().groupOverlaps()).hasSize(1);
        assertThat(ledger.report().orderViolations()).isEmpty();
    }

    @Test
    void messagesOfAGroupOneAfterAnotherDoNotOverlap() {
        String first = ledger.newBody("g");
        String second = ledger.newBody("g");
        ledger.handled(first);
        ledger.handled(second);
        ledger.handled(first);
        assertThat(ledger.report().groupOverlaps()).isEmpty();
        assertThat(ledger.handlings(first)).isEqualTo(2);
        assertThat(ledger.handlings(second)).isEqualTo(1);
        assertThat(ledger.handlings("hello")).isZero();
    }

    @Test
    void bodiesOfAnotherRunAreForeign() {
        String ofAnotherRun = new MessageLedger("t2").newBody(null);
        ledger.handled(ofAnotherRun);
        ledger.handled("hello");
        assertThat(ledger.report().foreign()).containsExactly(ofAnotherRun, "hello");
        assertThat(ledger.report().handled()).isZero();
    }

    @Test
    void separatorsInRunOrGroupAreRejected() {
        assertThatThrownBy(() -> new MessageLedger("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.newBody("a:b")).isInstanceOf(IllegalArgumentException.class);
    }
}
