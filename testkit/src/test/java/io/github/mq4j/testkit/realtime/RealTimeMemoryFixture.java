package io.github.mq4j.testkit.realtime;

import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.Topology;
import io.github.mq4j.testkit.BackendFixture;
import java.time.Duration;

/**
 * The in-memory backend on the system clock, with time made to pass by sleeping, as a fixture of a
 * real server does: checks that the suite itself holds up in real time (margins, polling, real
 * visibility expiry). Not part of the default build, as it takes minutes; run it with
 * {@code mvn -pl testkit -am verify -Dtest='RealTime*' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
final class RealTimeMemoryFixture implements BackendFixture {
    /** Added to every sleep, so a timeout of exactly the advanced amount has certainly passed. */
    private static final Duration MARGIN = Duration.ofMillis(250);

    @Override
    public QueueClient open(Topology topology) {
        return QueueFactory.builder().type("memory").topology(topology).build();
    }

    @Override
    public void advance(Duration amount) {
        try {
            Thread.sleep(amount.plus(MARGIN).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while letting " + amount + " pass", e);
        }
    }
}
