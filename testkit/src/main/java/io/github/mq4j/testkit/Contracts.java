package io.github.mq4j.testkit;

import java.util.List;

/** The list of contract classes, so that a backend's tests can check that they subclass every one. */
public final class Contracts {
    private Contracts() {}

    /** Every contract class of the suite, in the order of the semantics document. */
    public static List<Class<? extends ConformanceTest>> all() {
        return List.of(
                SendReceiveDeleteContract.class,
                VisibilityAndReceiptsContract.class,
                DelayContract.class,
                FifoOrderingContract.class,
                DeduplicationContract.class,
                DeadLetterContract.class,
                RedriveContract.class,
                RetentionContract.class,
                LongPollingContract.class,
                BatchContract.class,
                LimitsContract.class,
                HostileInputContract.class,
                StatsContract.class,
                PurgeContract.class,
                ConcurrencyContract.class,
                ClosedClientContract.class,
                UnknownQueueContract.class);
    }
}
