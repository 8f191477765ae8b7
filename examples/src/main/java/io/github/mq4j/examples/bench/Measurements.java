package io.github.mq4j.examples.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/** What the benchmarks measure with: the process's CPU time, and the median of their rounds. */
final class Measurements {
    private Measurements() {}

    /** CPU time of this JVM so far (all its threads: the client, and a backend or ElasticMQ running in it), in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The median of {@code values}; the mean of the middle two for an even count. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
