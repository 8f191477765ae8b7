package io.github.mq4j.postgres;

import io.github.mq4j.QueueClient;
import java.lang.reflect.Field;

/** Reaches the backend behind a client, for tests that call its housekeeping directly. */
@FunctionalInterface
interface PostgresBackendAccess {
    QueueClient client();

    default PostgresBackend backend() {
        try {
            Object c = client();
            Field f = c.getClass().getDeclaredField("backend");
            f.setAccessible(true);
            return (PostgresBackend) f.get(c);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
