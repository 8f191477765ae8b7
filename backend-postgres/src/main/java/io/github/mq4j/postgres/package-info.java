/**
 * The PostgreSQL backend of mq4j ({@code MESSAGE_QUEUE_TYPE=postgres}): every queue of a
 * topology in the tables of one schema, received with {@code FOR UPDATE SKIP LOCKED}, long polls
 * woken by {@code LISTEN}/{@code NOTIFY}. {@link io.github.mq4j.postgres.PostgresBackendProvider}
 * opens it through {@link io.github.mq4j.QueueFactory};
 * {@link io.github.mq4j.postgres.TransactionalSender} sends inside an application's own
 * transaction; {@link io.github.mq4j.postgres.Migrations} ships the schema for teams that apply
 * it themselves. See {@code docs/postgres.md}.
 */
@NullMarked
package io.github.mq4j.postgres;

import org.jspecify.annotations.NullMarked;
