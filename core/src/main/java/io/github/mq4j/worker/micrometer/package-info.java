/**
 * Micrometer metrics for workers and queues. Needs {@code io.micrometer:micrometer-core} on the
 * classpath, which mq4j-core declares optional: add it to the application.
 *
 * <pre>{@code
 * MeterRegistry registry = ...;
 * Worker worker = Worker.builder()
 *         .listener(new MicrometerWorkerListener(registry, Tags.of("worker", "app")))
 *         ...
 *         .build();
 * QueueStatsGauges stats = new QueueStatsGauges(List.of(queues.queue("async-jobs"), queues.queue("dlq")),
 *         Duration.ofSeconds(30));
 * stats.bindTo(registry);   // polls MessageQueue.stats() every 30 s; close() stops it
 * }</pre>
 *
 * <p>{@link io.github.mq4j.worker.micrometer.MicrometerWorkerListener} counts what workers do;
 * {@link io.github.mq4j.worker.micrometer.QueueStatsGauges} publishes each queue's depth and the age
 * of its oldest message, the numbers behind the usual alarms (depth above 1,000, oldest message
 * over an hour, anything in a dead-letter queue).
 */
@NullMarked
package io.github.mq4j.worker.micrometer;

import org.jspecify.annotations.NullMarked;
