package io.github.mq4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigSourceTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", " \n "})
    void get_blankValue_countsAsUnset(String blank) {
        ConfigSource source = ConfigSource.of(Map.of("A", blank));
        assertThat(source.get("A")).isEmpty();
        assertThat(source.raw("A")).isEqualTo(blank);
    }

    @Test
    void get_trimsTheValue() {
        assertThat(ConfigSource.of(Map.of("A", "  x y  ")).get("A")).hasValue("x y");
    }

    @Test
    void get_unsetVariable_isEmpty() {
        assertThat(ConfigSource.of(Map.of()).get("A")).isEmpty();
        assertThat(ConfigSource.empty().get("A")).isEmpty();
        assertThat(ConfigSource.empty().raw("A")).isNull();
    }

    @Test
    void of_copiesTheMap() {
        Map<String, String> m = new HashMap<>(Map.of("A", "1"));
        ConfigSource source = ConfigSource.of(m);
        m.put("A", "2");
        m.put("B", "3");
        assertThat(source.get("A")).hasValue("1");
        assertThat(source.get("B")).isEmpty();
    }

    @Test
    void orElse_fallsBackForUnsetAndBlankVariables() {
        ConfigSource first = ConfigSource.of(Map.of("SET", "first", "BLANK", "  "));
        ConfigSource fallback = ConfigSource.of(Map.of("SET", "fallback", "BLANK", "fallback", "ONLY_FALLBACK", "fb"));
        ConfigSource both = first.orElse(fallback);
        assertThat(both.get("SET")).hasValue("first");
        assertThat(both.get("BLANK")).hasValue("fallback");
        assertThat(both.get("ONLY_FALLBACK")).hasValue("fb");
        assertThat(both.get("NOWHERE")).isEmpty();
    }

    @Test
    void orElse_blankInBoth_isUnset() {
        ConfigSource both = ConfigSource.of(Map.of("A", " ")).orElse(ConfigSource.of(Map.of("A", "")));
        assertThat(both.get("A")).isEmpty();
    }

    @Test
    void environment_readsTheProcessEnvironment() {
        String name = System.getenv().keySet().stream().findFirst().orElse("PATH");
        assertThat(ConfigSource.environment().raw(name)).isEqualTo(System.getenv(name));
    }
}
