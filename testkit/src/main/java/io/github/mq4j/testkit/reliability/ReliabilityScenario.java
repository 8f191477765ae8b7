package io.github.mq4j.testkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.testkit.ConformanceTest;
import io.github.mq4j.worker.MessageHandler;
import io.github.mq4j.worker.SubscriptionOptions;
import io.github.mq4j.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The base of the reliability scenarios: a {@link ConformanceTest} on a {@link ReliabilityFixture}
 * (real time), with helpers that send ledgered messages, run workers whose handlers record into a
 * {@link MessageLedger}, and check and print the ledger's report at the end. A backend subclasses
 * each scenario class, not this one.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class ReliabilityScenario extends ConformanceTest {
    @Override
    protected abstract ReliabilityFixture fixture();

    /** Scenarios wait for workers in other processes and for visibility timeouts: 60 s. */
    @Override
    protected Duration deadline() {
        return Duration.ofSeconds(60);
    }

    /** The fixture of the running test, which can be joined from another process. */
    protected final ReliabilityFixture reliabilityFixture() {
        return (ReliabilityFixture) backend();
    }

    /** Sends {@code count} ledgered messages to a standard queue, in batches of 10, and records them as sent. */
    protected final List<String> sendStandard(MessageQueue queue, MessageLedger ledger, int count) {
        List<OutgoingMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(OutgoingMessage.of(ledger.newBody(null)));
        }
        return sendRecorded(queue, ledger, messages);
    }

    /**
     * Sends {@code perGroup} ledgered messages to each of {@code groups} groups of a FIFO queue
     * (group {@code g0}, {@code g1}, …; the groups interleaved, each in order), in batches of 10,
     * and records them as sent.
     */
    protected final List<String> sendFifo(MessageQueue fifo, MessageLedger ledger, int groups, int perGroup) {
        List<OutgoingMessage> messages = new ArrayList<>(groups * perGroup);
        for (int seq = 0; seq < perGroup; seq++) {
            for (int g = 0; g < groups; g++) {
                messages.add(fifoMessage("g" + g, ledger.newBody("g" + g)));
            }
        }
        return sendRecorded(fifo, ledger, messages);
    }

    private List<String> sendRecorded(MessageQueue queue, MessageLedger ledger, List<OutgoingMessage> messages) {
        sendAll(queue, messages); // asserts that every entry succeeded
        List<String> bodies = new ArrayList<>(messages.size());
        for (OutgoingMessage m : messages) {
            ledger.sent(m.body());
            bodies.add(m.body());
        }
        return bodies;
    }

    /** A handler that records its handling in {@code ledger} and takes {@code handleTime} of the body. */
    protected static MessageHandler ledgerHandler(MessageLedger ledger, Function<String, Duration> handleTime) {
        return (message, context) -> {
            ledger.begin(message.body());
            try {
                Thread.sleep(handleTime.apply(message.body()).toMillis());
            } finally {
                ledger.end(message.body());
            }
        };
    }

    /**
     * Starts a worker named {@code name} on {@code queue} with {@code concurrency} slots of its own,
     * the queue's visibility timeout, the default heartbeat and 1 s polls; it is closed after the test.
     */
    protected final Worker startWorker(String name, MessageQueue queue, int concurrency, MessageHandler handler) {
        return startWorker(workerBuilder(name).subscribe(queue, handler,
                SubscriptionOptions.builder().concurrency(concurrency).build()));
    }

    /** A worker builder named {@code name} with 1 s polls and a 30 s shutdown timeout, for {@link #startWorker(Worker.Builder)}. */
    protected static Worker.Builder workerBuilder(String name) {
        return Worker.builder().name(name).pollWaitTime(Duration.ofSeconds(1)).shutdownTimeout(Duration.ofSeconds(30));
    }

    /** Waits until every message recorded as sent has been handled at least once. */
    protected final void awaitAllHandled(MessageLedger ledger) {
        await(ledger::report, r -> r.lost().isEmpty(), "every sent message handled");
    }

    /**
     * Prints the ledger's report, prefixed by the test class and {@code scenario}, and asserts that
     * it is clean: nothing lost, no order violation, nothing run twice at once, nothing never sent
     * or foreign.
     */
    protected final MessageLedger.Report checkReport(String scenario, MessageLedger ledger) {
        MessageLedger.Report report = ledger.report();
        System.out.println("[" + getClass().getSimpleName() + "] " + scenario + ": " + report);
        assertThat(report.lost()).as("lost messages").isEmpty();
        assertThat(report.orderViolations()).as("FIFO order violations").isEmpty();
        assertThat(report.concurrentHandlings()).as("messages handled twice at once").isEmpty();
        assertThat(report.groupOverlaps()).as("groups with two messages running at once").isEmpty();
        assertThat(report.neverSent()).as("handled messages that were never sent").isEmpty();
        assertThat(report.foreign()).as("foreign messages").isEmpty();
        assertThat(report.clean()).isTrue();
        return report;
    }
}
