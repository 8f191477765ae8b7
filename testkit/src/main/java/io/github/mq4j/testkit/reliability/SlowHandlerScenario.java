package io.github.mq4j.testkit.reliability;

import static io.github.mq4j.testkit.TestTopology.PLAIN;
import static io.github.mq4j.testkit.TestTopology.PLAIN_FIFO;
import static io.github.mq4j.testkit.TestTopology.VISIBILITY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.worker.SubscriptionOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handlers that run past their message's visibility timeout while two workers compete for the
 * same queue: the worker's visibility heartbeat keeps each running (and each held) message hidden,
 * so no message is handled twice at once, none twice at all, and on a FIFO queue no group runs two
 * messages at once or out of order. Every message is accounted for by a {@link MessageLedger},
 * whose report is printed.
 *
 * <p>The workers receive with a visibility timeout of {@link #WORKER_VISIBILITY} (4 s) and a
 * heartbeat every 250 ms, so an extension is due 2 s after a receive and has 2 s to get through:
 * the margin with which a loaded test machine (a stalled JVM, a slow server) does not count as a
 * lost extension. The handlers take one and a half visibility timeouts.
 *
 * <p>The worker cannot run without its heartbeat, so the contrast is shown with two plain
 * receivers: a handler that outlives the visibility timeout without extending it has its message
 * delivered to the other receiver while it still runs, and the ledger reports it.
 *
 * <p>Subclass it once per backend with a {@link ReliabilityFixture}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class SlowHandlerScenario extends ReliabilityScenario {
    /** The visibility timeout with which the workers receive: 4 s. */
    private static final Duration WORKER_VISIBILITY = Duration.ofSeconds(4);
    /** A slow handling: one and a half visibility timeouts, so each needs two extensions. */
    private static final Duration SLOW = WORKER_VISIBILITY.multipliedBy(3).dividedBy(2);
    private static final Duration QUICK = Duration.ofMillis(100);
    private static final int CONCURRENCY = 5;

    @Test
    void slowHandlers_withTwoWorkersCompeting_neverRunAMessageTwice() {
        MessageLedger ledger = new MessageLedger("slow-" + UUID.randomUUID());
        MessageQueue queue = queue(PLAIN);
        List<String> bodies = sendStandard(queue, ledger, 20);
        Set<String> slow = new HashSet<>(bodies.subList(0, 10)); // as many as the two workers run at once

        runTwoWorkers(queue, ledger, slow, "standard queue");
    }

    @Test
    void slowHandler_withoutAHeartbeat_hasItsMessageHandledAgainWhileItRuns() {
        MessageLedger ledger = new MessageLedger("no-heartbeat-" + UUID.randomUUID());
        MessageQueue queue = queue(PLAIN);
        String body = sendStandard(queue, ledger, 1).get(0);

        ReceivedMessage first = receiveOne(queue);
        ledger.begin(first.body()); // the first receiver's handler runs, and never extends the visibility
        ReceivedMessage again = receiveOne(queue); // polls until the visibility timeout has run out
        ledger.begin(again.body());
        ledger.end(again.body());
        queue.delete(again);
        ledger.end(first.body());

        MessageLedger.Report report = ledger.report();
        System.out.println("[" + getClass().getSimpleName() + "] slow handler without a heartbeat (contrast, visibility "
                + VISIBILITY_TIMEOUT.toMillis() + " ms): " + report);
        assertThat(again.body()).isEqualTo(body);
        assertThat(again.receiveCount()).isEqualTo(2);
        assertThat(report.concurrentHandlings()).as("messages handled twice at once").hasSize(1);
        assertThat(report.duplicates()).isEqualTo(1);
        assertThat(report.lost()).isEmpty();
    }

    @Test
    void slowHandlers_onFifoQueue_withTwoWorkersCompeting_keepEachGroupInOrderAndAlone() {
        MessageLedger ledger = new MessageLedger("slow-fifo-" + UUID.randomUUID());
        MessageQueue fifo = queue(PLAIN_FIFO);
        int groups = 4; // two workers of 5 slots take every group's head at once
        List<String> bodies = sendFifo(fifo, ledger, groups, 4);
        // the first message of every group is slow: the later ones wait behind it, held by its worker
        Set<String> slow = new HashSet<>(bodies.subList(0, groups));

        runTwoWorkers(fifo, ledger, slow, "FIFO queue, " + groups + " groups");
    }

    /**
     * Runs two workers on {@code queue} until every message is handled, then checks that the queue
     * is empty and the ledger clean, with no message handled more than once.
     */
    private void runTwoWorkers(MessageQueue queue, MessageLedger ledger, Set<String> slow, String description) {
        for (String name : List.of("worker-a", "worker-b")) {
            startWorker(workerBuilder(name).heartbeatInterval(Duration.ofMillis(250)).subscribe(queue,
                    ledgerHandler(ledger, body -> slow.contains(body) ? SLOW : QUICK),
                    SubscriptionOptions.builder().concurrency(CONCURRENCY).visibilityTimeout(WORKER_VISIBILITY).build()));
        }
        awaitAllHandled(ledger);
        closeWorkersNow();

        assertQueueEmpty(queue);
        MessageLedger.Report report = checkReport("slow handlers (" + SLOW.toMillis() + " ms, visibility "
                + WORKER_VISIBILITY.toMillis() + " ms), two workers, " + description, ledger);
        assertThat(report.duplicates()).as("messages handled more than once").isZero();
    }
}
