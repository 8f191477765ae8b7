/**
 * The worker runtime: register a {@link io.github.mq4j.worker.MessageHandler} per queue and let a
 * {@link io.github.mq4j.worker.Worker} receive, run, acknowledge, retry and dead-letter messages,
 * instead of writing receive loops.
 *
 * <pre>{@code
 * QueueClient queues = QueueFactory.fromEnv();
 * Worker worker = Worker.builder()
 *         .name("jobs")
 *         .concurrency(8)
 *         .subscribe(queues.queue("webhooks"), (message, context) -> handleWebhook(message.body()))
 *         .subscribe(queues.queue("async-jobs"), (message, context) -> runJob(message.body()))
 *         .build();
 * worker.start();
 * ...
 * worker.close();   // then queues.close()
 * }</pre>
 *
 * <p>What the worker guarantees: a message is deleted only after its handler returns
 * (acknowledge after completion); a handler that throws leaves its message for redelivery after
 * a {@link io.github.mq4j.worker.BackoffPolicy backoff}, so that the queue's dead-letter rule
 * applies after its max receive count; the visibility of a message whose handler is still
 * running is extended; messages of one FIFO group run one after another, in order; and
 * {@link io.github.mq4j.worker.Worker#close()} loses nothing. {@link io.github.mq4j.worker.WorkerListener}
 * reports what happens, for metrics; {@code io.github.mq4j.worker.micrometer} binds it to Micrometer.
 */
@NullMarked
package io.github.mq4j.worker;

import org.jspecify.annotations.NullMarked;
