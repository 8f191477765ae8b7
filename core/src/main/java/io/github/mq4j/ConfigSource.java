package io.github.mq4j;

import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where configuration variables come from: the process environment in production, a map in
 * tests (so tests never mutate the environment). A value that is empty or only blanks counts as
 * not set.
 */
@FunctionalInterface
public interface ConfigSource {

    /** The raw value of variable {@code name}, or {@code null} if it is not set. */
    @Nullable String raw(String name);

    /** The value of {@code name}, trimmed, or empty if it is not set or blank. */
    default Optional<String> get(String name) {
        String value = raw(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.trim());
    }

    /** The process environment ({@link System#getenv(String)}). */
    static ConfigSource environment() {
        return System::getenv;
    }

    /** The variables of this map. */
    static ConfigSource of(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        return copy::get;
    }

    /** No variables at all. */
    static ConfigSource empty() {
        return name -> null;
    }

    /** This source, then {@code fallback} for variables this one does not set. */
    default ConfigSource orElse(ConfigSource fallback) {
        return name -> {
            String value = raw(name);
            return value == null || value.isBlank() ? fallback.raw(name) : value;
        };
    }
}
