package io.github.mq4j.spi;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.Topology;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backend is opened with. Immutable.
 *
 * @param topology the queues the backend serves
 * @param config the configuration variables (the environment, or a map the application gave)
 * @param clock the clock for message timestamps and timeouts, where the backend keeps time itself
 * @param options application-owned objects keyed by type (a {@code DataSource}, an {@code SqsClient}),
 *     which the backend uses and never closes
 */
public record BackendContext(Topology topology, ConfigSource config, Clock clock, Map<Class<?>, Object> options) {

    public BackendContext {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        options = Map.copyOf(options);
    }

    /** The application-owned object of this type, if the application gave one. */
    public <T> Optional<T> option(Class<T> type) {
        return Optional.ofNullable(options.get(type)).map(type::cast);
    }
}
