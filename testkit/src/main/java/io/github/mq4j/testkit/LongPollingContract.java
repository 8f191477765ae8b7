package io.github.mq4j.testkit;

import static io.github.mq4j.testkit.TestTopology.FIFO;
import static io.github.mq4j.testkit.TestTopology.LONG_VISIBILITY;
import static io.github.mq4j.testkit.TestTopology.POLLING;
import static io.github.mq4j.testkit.TestTopology.POLLING_WAIT_TIME;
import static io.github.mq4j.testkit.TestTopology.STANDARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mq4j.MessageQueue;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Long polling: a receive with a wait time returns as soon as a message is available, not at the
 * end of the wait or of a polling interval, and returns an empty list when the wait ends with
 * none. Durations are measured loosely (a receive that should wake early must return within half
 * its wait), as these tests run in real time on every backend.
 */
public abstract class LongPollingContract extends ConformanceTest {

    private static final Duration LONG_WAIT = Duration.ofSeconds(10);
    private static final long HALF_LONG_WAIT_MILLIS = LONG_WAIT.toMillis() / 2;

    private final AtomicInteger threadCount = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "conformance-long-polling-" + threadCount.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    final void stopThreads() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(LONG_WAIT.toSeconds() * 2, TimeUnit.SECONDS);
    }

    /** Starts a receive of one message with {@code wait} on another thread, and waits until it is about to call. */
    private Future<Timed> receiveInBackground(MessageQueue q, Duration wait) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Future<Timed> future = executor.submit(() -> {
            started.countDown();
            long start = System.nanoTime();
            List<ReceivedMessage> received = q.receive(
                    ReceiveRequest.builder().maxMessages(1).waitTime(wait).visibilityTimeout(HOLD).build());
            return new Timed(received, Duration.ofNanos(System.nanoTime() - start));
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).as("receiving thread started").isTrue();
        return future;
    }

    /** What a receive returned and how long it took. */
    private record Timed(List<ReceivedMessage> received, Duration took) {}

    /**
     * Asserts that a started receive is still waiting a moment later (the queue is empty), so that
     * what the test does next happens while it waits: the test checks the wake-up, not a race.
     */
    private static void assertStillWaiting(Future<?> receive) {
        assertThatThrownBy(() -> receive.get(300, TimeUnit.MILLISECONDS))
                .as("a receive on an empty queue is still waiting after 300 ms")
                .isInstanceOf(TimeoutException.class);
    }

    @Test
    void waitingReceive_returnsSoonAfterSendFromAnotherThread() throws Exception {
        MessageQueue q = queue(STANDARD);
        Future<Timed> receive = receiveInBackground(q, LONG_WAIT);
        assertStillWaiting(receive);

        q.send("wake up");

        Timed result = receive.get(LONG_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(bodies(result.received())).containsExactly("wake up");
        assertThat(result.took().toMillis()).as("ms until the waiting receive returned").isLessThan(HALF_LONG_WAIT_MILLIS);
    }

    @Test
    void waitingReceive_onFifoQueue_returnsSoonAfterSend() throws Exception {
        MessageQueue q = queue(FIFO);
        Future<Timed> receive = receiveInBackground(q, LONG_WAIT);
        assertStillWaiting(receive);

        q.send(fifoMessage("g", "wake up"));

        Timed result = receive.get(LONG_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(bodies(result.received())).containsExactly("wake up");
        assertThat(result.took().toMillis()).isLessThan(HALF_LONG_WAIT_MILLIS);
    }

    @Test
    void waitingReceive_returnsSoonAfterBatchSend() throws Exception {
        MessageQueue q = queue(STANDARD);
        Future<Timed> receive = receiveInBackground(q, LONG_WAIT);
        assertStillWaiting(receive);

        sendNumbered(q, "batch", 3);

        Timed result = receive.get(LONG_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(result.received()).hasSize(1);
        assertThat(result.took().toMillis()).isLessThan(HALF_LONG_WAIT_MILLIS);
    }

    @Test
    void waitingReceive_returnsSoonAfterMessageIsMadeVisibleAgain() throws Exception {
        MessageQueue q = queue(LONG_VISIBILITY);
        q.send("given back");
        ReceivedMessage held = receiveOne(q, HOLD);
        Future<Timed> receive = receiveInBackground(q, LONG_WAIT);
        assertStillWaiting(receive);

        q.changeVisibility(held, Duration.ZERO);

        Timed result = receive.get(LONG_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(bodies(result.received())).containsExactly("given back");
        assertThat(result.received().get(0).receiveCount()).isEqualTo(2);
        assertThat(result.took().toMillis()).isLessThan(HALF_LONG_WAIT_MILLIS);
    }

    @Test
    void waitingReceive_returnsAtOnceWhenMessagesAreThere() {
        MessageQueue q = queue(STANDARD);
        sendNumbered(q, "ready", 3);
        awaitCounts(q, 3, 0, 0);

        long start = System.nanoTime();
        List<ReceivedMessage> received = q.receive(
                ReceiveRequest.builder().maxMessages(10).waitTime(LONG_WAIT).visibilityTimeout(HOLD).build());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(received).isNotEmpty();
        assertThat(took.toMillis()).isLessThan(HALF_LONG_WAIT_MILLIS);
    }

    @Test
    void waitingReceive_onEmptyQueue_returnsEmptyWhenWaitEnds() {
        MessageQueue q = queue(STANDARD);
        Duration wait = Duration.ofSeconds(1);

        long start = System.nanoTime();
        List<ReceivedMessage> received = q.receive(ReceiveRequest.of(10, wait));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(received).isEmpty();
        assertThat(took.toMillis()).as("ms waited").isGreaterThanOrEqualTo(wait.toMillis() / 2);
    }

    @Test
    void receiveWithoutWait_onEmptyQueue_returnsWithoutWaiting() {
        MessageQueue q = queue(POLLING);

        long start = System.nanoTime();
        List<ReceivedMessage> received = q.receive(ReceiveRequest.of(10, Duration.ZERO));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(received).isEmpty();
        assertThat(took.toMillis()).as("ms a receive with wait 0 took on a queue whose default wait is %s", POLLING_WAIT_TIME)
                .isLessThan(POLLING_WAIT_TIME.toMillis() / 2);
    }

    @Test
    void receiveWithoutWaitTime_waitsForQueueReceiveWaitTime() throws Exception {
        MessageQueue q = queue(POLLING);
        CountDownLatch started = new CountDownLatch(1);
        Future<List<ReceivedMessage>> receive = executor.submit(() -> {
            started.countDown();
            return q.receive(ReceiveRequest.builder().visibilityTimeout(HOLD).build());
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertStillWaiting(receive);

        q.send("arrived while the default wait ran");

        List<ReceivedMessage> received = receive.get(POLLING_WAIT_TIME.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(bodies(received)).containsExactly("arrived while the default wait ran");
    }

    @Test
    void severalWaitingReceives_eachGetADifferentMessage() throws Exception {
        MessageQueue q = queue(STANDARD);
        List<Future<Timed>> receives = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            receives.add(receiveInBackground(q, LONG_WAIT));
        }
        for (Future<Timed> f : receives) {
            assertStillWaiting(f);
        }

        sendNumbered(q, "for-each", 3);

        List<String> got = new ArrayList<>();
        for (Future<Timed> f : receives) {
            Timed result = f.get(LONG_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
            assertThat(result.received()).as("messages one waiting receive got").hasSize(1);
            assertThat(result.took().toMillis()).isLessThan(HALF_LONG_WAIT_MILLIS);
            got.addAll(bodies(result.received()));
        }
        assertThat(got).containsExactlyInAnyOrder("for-each-0", "for-each-1", "for-each-2");
    }

    @Test
    void waitingReceive_onOneQueue_ignoresSendsToAnother() throws Exception {
        MessageQueue q = queue(STANDARD);
        Future<Timed> receive = receiveInBackground(q, Duration.ofSeconds(2));
        assertStillWaiting(receive);

        queue(LONG_VISIBILITY).send("elsewhere");

        Timed result = receive.get(10, TimeUnit.SECONDS);
        assertThat(result.received()).isEmpty();
        assertThat(receiveOne(queue(LONG_VISIBILITY)).body()).isEqualTo("elsewhere");
    }
}
