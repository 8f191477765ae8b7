package io.github.mq4j.testkit.reliability;

import static io.github.mq4j.testkit.TestTopology.PLAIN;
import static io.github.mq4j.testkit.TestTopology.PLAIN_FIFO;
import static io.github.mq4j.testkit.TestTopology.VISIBILITY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.MessageQueue;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handlers that run past their message's visibility timeout (2 s,
 * {@link io.github.mq4j.testkit.TestTopology#VISIBILITY_TIMEOUT}) while two workers compete for the
 * same queue: the worker's visibility heartbeat keeps each running message hidden, so no message is
 * handled twice at once, none twice at all, and on a FIFO queue no group runs two messages at once
 * or out of order. Every message is accounted for by a {@link MessageLedger}, whose report is
 * printed.
 *
 * <p>The worker cannot run without its heartbeat, so the contrast (the same setup without it
 * redelivers) is not shown here.
 *
 * <p>Subclass it once per backend with a {@link ReliabilityFixture}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class SlowHandlerScenario extends ReliabilityScenario {
    /** A slow handling: one and a half visibility timeouts, so each needs two extensions. */
    private static final Duration SLOW = VISIBILITY_TIMEOUT.multipliedBy(3).dividedBy(2);
    private static final Duration QUICK = Duration.ofMillis(100);
    private static final int CONCURRENCY = 5;

    @Test
    void slowHandlers_withTwoWorkersCompeting_neverRunAMessageTwice() {
        MessageLedger ledger = new MessageLedger("slow-" + UUID.randomUUID());
        MessageQueue queue = queue(PLAIN);
        List<String> bodies = sendStandard(queue, ledger, 20);
        Set<String> slow = new HashSet<>(bodies.subList(0, 15));

        startWorker("worker-a", queue, CONCURRENCY, ledgerHandler(ledger, body -> slow.contains(body) ? SLOW : QUICK));
        startWorker("worker-b", queue, CONCURRENCY, ledgerHandler(ledger, body -> slow.contains(body) ? SLOW : QUICK));
        awaitAllHandled(ledger);
        closeWorkersNow();

        assertQueueEmpty(queue);
        MessageLedger.Report report = checkReport("slow handlers (" + SLOW.toMillis() + " ms, visibility "
                + VISIBILITY_TIMEOUT.toMillis() + " ms), two workers, standard queue", ledger);
        assertThat(report.duplicates()).as("messages handled more than once").isZero();
    }

    @Test
    void slowHandlers_onFifoQueue_withTwoWorkersCompeting_keepEachGroupInOrderAndAlone() {
        MessageLedger ledger = new MessageLedger("slow-fifo-" + UUID.randomUUID());
        MessageQueue fifo = queue(PLAIN_FIFO);
        int groups = 5;
        List<String> bodies = sendFifo(fifo, ledger, groups, 4);
        // the first message of every group is slow: the later ones wait behind it, held by its worker
        Set<String> slow = new HashSet<>(bodies.subList(0, groups));

        startWorker("worker-a", fifo, CONCURRENCY, ledgerHandler(ledger, body -> slow.contains(body) ? SLOW : QUICK));
        startWorker("worker-b", fifo, CONCURRENCY, ledgerHandler(ledger, body -> slow.contains(body) ? SLOW : QUICK));
        awaitAllHandled(ledger);
        closeWorkersNow();

        assertQueueEmpty(fifo);
        MessageLedger.Report report = checkReport("slow handlers (" + SLOW.toMillis() + " ms, visibility "
                + VISIBILITY_TIMEOUT.toMillis() + " ms), two workers, FIFO queue, " + groups + " groups", ledger);
        assertThat(report.duplicates()).as("messages handled more than once").isZero();
    }
}
