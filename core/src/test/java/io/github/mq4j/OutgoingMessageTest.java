package io.github.mq4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutgoingMessageTest {

    @Test
    void of_hasOnlyABody() {
        assertThat(OutgoingMessage.of("x")).isEqualTo(new OutgoingMessage("x", Map.of(), null, null, null));
    }

    @Test
    void builder_setsEveryField() {
        OutgoingMessage m = OutgoingMessage.builder("x").attribute("a", "1").attributes(Map.of("b", "2"))
                .groupId("g").deduplicationId("d").delay(Duration.ofSeconds(5)).build();
        assertThat(m).isEqualTo(new OutgoingMessage("x", Map.of("a", "1", "b", "2"), "g", "d", Duration.ofSeconds(5)));
    }

    @Test
    void attributes_keepTheirOrder() {
        OutgoingMessage m = OutgoingMessage.builder("x").attribute("z", "1").attribute("a", "2").attribute("m", "3").build();
        assertThat(m.attributes().keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void builtMessage_doesNotChangeWhenTheBuilderGoesOn() {
        OutgoingMessage.Builder builder = OutgoingMessage.builder("x").attribute("a", "1");
        OutgoingMessage first = builder.build();
        builder.attribute("b", "2").groupId("g");
        assertThat(first.attributes()).containsOnlyKeys("a");
        assertThat(first.groupId()).isNull();
        assertThat(builder.build().attributes()).containsOnlyKeys("a", "b");
    }

    @Test
    void attributes_areCopiedAndUnmodifiable() {
        Map<String, String> attributes = new LinkedHashMap<>(Map.of("a", "1"));
        OutgoingMessage m = new OutgoingMessage("x", attributes, null, null, null);
        attributes.put("b", "2");
        assertThat(m.attributes()).containsOnlyKeys("a");
        assertThatThrownBy(() -> m.attributes().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullAttributes_areEmpty() {
        assertThat(new OutgoingMessage("x", null, null, null, null).attributes()).isEmpty();
    }

    @Test
    void toBuilder_copiesAndChangesOnlyTheCopy() {
        OutgoingMessage m = OutgoingMessage.builder("x").attribute("a", "1").groupId("g").deduplicationId("d")
                .delay(Duration.ofSeconds(1)).build();
        assertThat(m.toBuilder().build()).isEqualTo(m);
        OutgoingMessage changed = m.toBuilder().attribute("b", "2").groupId(null).build();
        assertThat(m.attributes()).containsOnlyKeys("a");
        assertThat(m.groupId()).isEqualTo("g");
        assertThat(changed.attributes()).containsOnlyKeys("a", "b");
        assertThat(changed.groupId()).isNull();
    }

    @Test
    void nullBodyOrAttribute_isRejected() {
        assertThatThrownBy(() -> OutgoingMessage.of(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("body");
        assertThatThrownBy(() -> OutgoingMessage.builder("x").attribute(null, "v")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> OutgoingMessage.builder("x").attribute("a", null)).isInstanceOf(NullPointerException.class);
    }
}
