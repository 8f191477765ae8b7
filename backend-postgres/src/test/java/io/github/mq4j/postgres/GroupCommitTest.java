package io.github.mq4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The combining of concurrent calls, on its own (its use by sends and deletes runs against
 * PostgreSQL in {@link PostgresBackendTest} and {@link ConcurrencyTest}). Rounds here are plain
 * functions; each test makes the first round wait until the other calls have queued, so which
 * calls share a round does not depend on timing.
 */
class GroupCommitTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    /** The items of every round that ran, in order. */
    private final List<List<String>> rounds = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** A round that records its items and answers each with its upper-case form; "bad" fails the round. */
    private List<String> echo(List<String> items, String failureState) throws SQLException {
        rounds.add(List.copyOf(items));
        if (items.contains("bad")) {
            throw new SQLException("bad item", failureState);
        }
        return items.stream().map(String::toUpperCase).toList();
    }

    /** {@link #echo}, but the round of the call "first" waits for {@code release}. */
    private List<String> echoHoldingFirst(List<String> items, String failureState, CountDownLatch release) throws SQLException {
        List<String> out = echo(items, failureState);
        if (items.contains("first")) {
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new SQLException("not released in 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException(e);
            }
        }
        return out;
    }

    /**
     * Starts one call whose round waits for {@code release}, then queues {@code others} behind it
     * in order and releases it; returns every call's future, the first call's first.
     */
    private List<Future<List<String>>> callsQueuedBehindOne(GroupCommit<String, String> commit, CountDownLatch release,
            List<List<String>> others) throws Exception {
        List<Future<List<String>>> calls = new ArrayList<>();
        calls.add(pool.submit(() -> commit.run(List.of("first"))));
        awaitUntil(() -> rounds.size() == 1);
        for (List<String> items : others) {
            int queuedBefore = commit.queuedCalls();
            calls.add(pool.submit(() -> commit.run(items)));
            // one at a time, so that they queue in this order
            awaitUntil(() -> commit.queuedCalls() == queuedBefore + 1);
        }
        release.countDown();
        return calls;
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("condition not reached in 10 s");
            }
            Thread.sleep(1);
        }
    }

    @Test
    void callsQueuedWhileARoundRuns_shareTheNextRound_andEachGetsItsOwnResults() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<String, String> commit = new GroupCommit<>(items -> echoHoldingFirst(items, "22000", release), 1, 100, String::length, 1_000);

        List<Future<List<String>>> calls = callsQueuedBehindOne(commit, release,
                List.of(List.of("a", "b"), List.of("c"), List.of("d", "e", "f")));

        assertThat(calls.get(0).get(10, TimeUnit.SECONDS)).containsExactly("FIRST");
        assertThat(calls.get(1).get(10, TimeUnit.SECONDS)).containsExactly("A", "B");
        assertThat(calls.get(2).get(10, TimeUnit.SECONDS)).containsExactly("C");
        assertThat(calls.get(3).get(10, TimeUnit.SECONDS)).containsExactly("D", "E", "F");
        assertThat(rounds).containsExactly(List.of("first"), List.of("a", "b", "c", "d", "e", "f"));
    }

    @Test
    void aRound_takesNoMoreThanItsLimits_andALargerCallRunsAlone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<String, String> commit = new GroupCommit<>(items -> echoHoldingFirst(items, "22000", release), 1, 3, String::length, 1_000);

        List<Future<List<String>>> calls = callsQueuedBehindOne(commit, release,
                List.of(List.of("a", "b"), List.of("c", "d"), List.of("e", "f", "g", "h")));
        for (Future<List<String>> call : calls) {
            call.get(10, TimeUnit.SECONDS);
        }

        assertThat(rounds).containsExactly(List.of("first"), List.of("a", "b"), List.of("c", "d"), List.of("e", "f", "g", "h"));
        assertThat(calls.get(3).get()).containsExactly("E", "F", "G", "H");
    }

    @Test
    void aFailedCombinedRound_runsEachCallAlone_soOnlyTheFaultyCallFails() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<String, String> commit = new GroupCommit<>(items -> echoHoldingFirst(items, "23505", release), 1, 100, String::length, 1_000);

        List<Future<List<String>>> calls = callsQueuedBehindOne(commit, release,
                List.of(List.of("a"), List.of("x", "bad"), List.of("b")));

        assertThat(calls.get(1).get(10, TimeUnit.SECONDS)).containsExactly("A");
        assertThat(calls.get(3).get(10, TimeUnit.SECONDS)).containsExactly("B");
        assertThatThrownBy(() -> calls.get(2).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class)
                .cause().hasMessage("bad item");
        assertThat(rounds).hasSize(5).startsWith(List.of("first"), List.of("a", "x", "bad", "b"))
                .contains(List.of("a"), List.of("x", "bad"), List.of("b"));
    }

    @Test
    void aLostConnection_failsEveryCallOfTheRound_withoutRunningThemAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<String, String> commit = new GroupCommit<>(items -> echoHoldingFirst(items, "08006", release), 1, 100, String::length, 1_000);

        List<Future<List<String>>> calls = callsQueuedBehindOne(commit, release, List.of(List.of("a"), List.of("bad")));

        for (Future<List<String>> call : calls.subList(1, 3)) {
            assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
        }
        assertThat(rounds).containsExactly(List.of("first"), List.of("a", "bad"));
    }

    @Test
    void aCallAlone_runsAtOnceInItsOwnRound() throws Exception {
        GroupCommit<String, String> commit = new GroupCommit<>(items -> echo(items, "22000"), 1, 100, String::length, 1_000);

        assertThat(commit.run(List.of("a"))).containsExactly("A");
        assertThat(commit.run(List.of("b", "c"))).containsExactly("B", "C");
        assertThat(rounds).containsExactly(List.of("a"), List.of("b", "c"));
    }
}
