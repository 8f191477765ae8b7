package io.github.mq4j.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.BatchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The automatic batcher on its own: every entry gets its own outcome, and batches keep their limits. */
class AutoBatcherTest {

    @Test
    void submit_fromManyThreads_givesEveryEntryItsOwnOutcomeInBatchesWithinLimits() throws Exception {
        ConcurrentLinkedQueue<Integer> batchSizes = new ConcurrentLinkedQueue<>();
        AutoBatcher<Integer, Integer> batcher = new AutoBatcher<>(10, 1_000, 1, e -> 10, entries -> {
            batchSizes.add(entries.size());
            List<BatchResult.Entry<Integer>> out = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                out.add(new BatchResult.Success<>(i, entries.get(i) * 2));
            }
            return out;
        });
        int threads = 16;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger wrong = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = base; i < base + perThread; i++) {
                        BatchResult.Entry<Integer> e = batcher.submit(i);
                        if (!(e instanceof BatchResult.Success<Integer> s) || s.value() != i * 2) {
                            wrong.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(wrong).hasValue(0);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
        assertThat(batchSizes).allSatisfy(n -> assertThat(n).isBetween(1, 10));
    }

    @Test
    void submit_alone_sendsABatchOfOneAtOnce() {
        ConcurrentLinkedQueue<Integer> batchSizes = new ConcurrentLinkedQueue<>();
        AutoBatcher<Integer, Integer> batcher = new AutoBatcher<>(10, 100, 1, e -> 60, entries -> {
            batchSizes.add(entries.size());
            List<BatchResult.Entry<Integer>> out = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                out.add(new BatchResult.Success<>(i, entries.get(i)));
            }
            return out;
        });
        assertThat(((BatchResult.Success<Integer>) batcher.submit(7)).value()).isEqualTo(7);
        assertThat(batchSizes).containsExactly(1);
    }

    @Test
    void submit_whenTheFlushThrows_failsTheEntryWithThatError() {
        IllegalStateException boom = new IllegalStateException("boom");
        AutoBatcher<Integer, Integer> batcher = new AutoBatcher<>(10, 100, 1, e -> 1, entries -> {
            throw boom;
        });
        BatchResult.Entry<Integer> e = batcher.submit(1);
        assertThat(e).isInstanceOf(BatchResult.Failure.class);
        assertThat(((BatchResult.Failure<Integer>) e).error()).isSameAs(boom);
    }
}
