/**
 * The worker runtime's end-to-end contract: {@link io.github.mq4j.testkit.worker.WorkerContract}, an
 * abstract JUnit 5 class that each backend subclasses to run a {@link io.github.mq4j.worker.Worker}
 * against its real server.
 */
@NullMarked
package io.github.mq4j.testkit.worker;

import org.jspecify.annotations.NullMarked;
