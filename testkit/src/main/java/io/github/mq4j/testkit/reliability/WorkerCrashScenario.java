package io.github.mq4j.testkit.reliability;

import static io.github.mq4j.testkit.TestTopology.PLAIN;
import static io.github.mq4j.testkit.TestTopology.PLAIN_FIFO;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.MessageQueue;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker process killed with {@code kill -9} in the middle of handling: its messages, running
 * or held, come back when their visibility timeout ends (2 s, {@link io.github.mq4j.testkit.TestTopology#VISIBILITY_TIMEOUT})
 * and a worker in the test JVM handles them all; on a FIFO queue in the order of each group. The
 * killed worker runs in a JVM of its own ({@link WorkerProcess}), on the same queues
 * ({@link ReliabilityFixture#environmentOf}). Every message is accounted for by a
 * {@link MessageLedger}, whose report is printed.
 *
 * <p>Subclass it once per backend with a {@link ReliabilityFixture}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class WorkerCrashScenario extends ReliabilityScenario {
    /** How long the killed worker takes per message: long enough that it dies with handlers running. */
    private static final Duration CHILD_HANDLE_TIME = Duration.ofMillis(150);
    private static final int CHILD_CONCURRENCY = 4;
    /** How many handlings the killed worker finishes before it is killed. */
    private static final int FINISHED_BEFORE_KILL = 8;

    @Test
    void killedWorker_itsMessagesComeBackAndAnotherWorkerHandlesThemAll() throws InterruptedException {
        MessageLedger ledger = new MessageLedger("crash-" + UUID.randomUUID());
        MessageQueue queue = queue(PLAIN);
        sendStandard(queue, ledger, 60);
        killMidHandlingThenRecover(queue, ledger, "worker killed (standard queue)");
    }

    @Test
    void killedWorker_onFifoQueue_theOrderOfEachGroupIsKeptAcrossTheCrash() throws InterruptedException {
        MessageLedger ledger = new MessageLedger("crash-fifo-" + UUID.randomUUID());
        MessageQueue fifo = queue(PLAIN_FIFO);
        sendFifo(fifo, ledger, 6, 10);
        killMidHandlingThenRecover(fifo, ledger, "worker killed (FIFO queue, 6 groups)");
    }

    private void killMidHandlingThenRecover(MessageQueue queue, MessageLedger ledger, String scenario)
            throws InterruptedException {
        List<String> interrupted;
        int finishedByChild;
        int exitValue;
        long started = System.nanoTime();
        Duration untilKilled;
        try (WorkerProcess child = WorkerProcess.start(reliabilityFixture().environmentOf(client()), queue.name(),
                CHILD_CONCURRENCY, CHILD_HANDLE_TIME, ledger)) {
            child.awaitRunningAfter(FINISHED_BEFORE_KILL, deadline());
            interrupted = child.kill();
            untilKilled = Duration.ofNanos(System.nanoTime() - started);
            finishedByChild = child.ended();
            exitValue = child.exitValue();
        }
        assertThat(interrupted).as("handlers running in the worker process when it was killed").isNotEmpty();
        assertThat(ledger.report().lost()).as("messages left after the crash").isNotEmpty();

        startWorker("survivor", queue, 10, ledgerHandler(ledger, body -> Duration.ZERO));
        awaitAllHandled(ledger);
        // the messages whose handlers died were handled (begun) once already: they must come again
        await(() -> interrupted.stream().filter(body -> ledger.handlings(body) < 2).toList(), List::isEmpty,
                "the messages whose handlers died with the process handled again");
        closeWorkersNow();
        assertQueueEmpty(queue);
        System.out.println("[" + getClass().getSimpleName() + "] " + scenario + ": the worker process finished "
                + finishedByChild + " handlings, was killed (exit " + exitValue + ", " + untilKilled.toMillis()
                + " ms after its start) with " + interrupted.size() + " running; the survivor handled the rest");
        checkReport(scenario, ledger);
    }
}
