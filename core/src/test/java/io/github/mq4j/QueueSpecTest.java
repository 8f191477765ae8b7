package io.github.mq4j;

import static io.github.mq4j.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Queue specifications: every limit at, just under and just over its bound, the FIFO-only options, builders. */
class QueueSpecTest {
    private static final Duration FOURTEEN_DAYS = Duration.ofDays(14);

    @Nested
    class Names {
        @ParameterizedTest
        @ValueSource(strings = {"a", "Z", "0", "-", "_", "async-jobs", "App_High-2"})
        void standardName_fromLettersDigitsHyphenAndUnderscore_isAccepted(String name) {
            assertThat(QueueSpec.standard(name).build().name()).isEqualTo(name);
        }

        @Test
        void name_of80Characters_isAccepted() {
            assertThat(QueueSpec.standard("q".repeat(80)).build().name()).hasSize(80);
            assertThat(QueueSpec.fifo("q".repeat(75) + ".fifo").build().name()).hasSize(80);
        }

        @Test
        void name_of81Characters_isRejected() {
            assertRejected("name", () -> QueueSpec.standard("q".repeat(81)).build(), "81 characters", "1 to 80");
            assertRejected("name", () -> QueueSpec.fifo("q".repeat(76) + ".fifo").build(), "81 characters", "1 to 80");
        }

        @Test
        void emptyOrNullName_isRejected() {
            assertRejected("name", () -> QueueSpec.standard("").build(), "0 characters", "1 to 80");
            assertRejected("name", () -> QueueSpec.standard(null), "null");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a b", "a.b", "a/b", "a:b", "ä", "a\u0000", "a*", "fifo.fifo.x"})
        void standardName_withOtherCharacters_isRejectedNamingTheCharacter(String name) {
            assertRejected("name", () -> QueueSpec.standard(name).build(), "[A-Za-z0-9_-]", "at index");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a b.fifo", "a.b.fifo", "ä.fifo", "a$.fifo"})
        void fifoName_withOtherCharactersBeforeTheSuffix_isRejected(String name) {
            assertRejected("name", () -> QueueSpec.fifo(name).build(), "[A-Za-z0-9_-]", "at index");
        }

        @Test
        void standardName_endingInFifo_isRejected() {
            assertRejected("name", () -> QueueSpec.standard("jobs.fifo").build(), "'jobs.fifo'", "must not end in .fifo");
        }

        @ParameterizedTest
        @ValueSource(strings = {"jobs", "jobs.FIFO", "jobs.fifo ", "jobsfifo", "jobs-fifo"})
        void fifoName_withoutTheSuffix_isRejected(String name) {
            assertRejected("name", () -> QueueSpec.fifo(name).build(), "'" + name + "'", "must end in .fifo");
        }

        @Test
        void fifoName_thatIsOnlyTheSuffix_isRejected() {
            assertRejected("name", () -> QueueSpec.fifo(".fifo").build(), "'.fifo'", "nothing before .fifo");
        }
    }

    @Nested
    class Durations {
        @Test
        void retention_of60SecondsTo14Days_isAccepted() {
            assertThat(QueueSpec.standard("q").retention(Duration.ofSeconds(60)).build().retention()).hasSeconds(60);
            assertThat(QueueSpec.standard("q").retention(FOURTEEN_DAYS).build().retention()).isEqualTo(FOURTEEN_DAYS);
        }

        @Test
        void retention_under60Seconds_isRejected() {
            assertRejected("retention", () -> QueueSpec.standard("q").retention(Duration.ofSeconds(59)).build(),
                    "59 s", "60 s to 1209600 s", "'q'");
        }

        @Test
        void retention_over14Days_isRejected() {
            assertRejected("retention", () -> QueueSpec.standard("q").retention(FOURTEEN_DAYS.plusSeconds(1)).build(),
                    "1209601 s", "60 s to 1209600 s");
        }

        @Test
        void visibilityTimeout_ofZeroTo12Hours_isAcceptedAndOver_isRejected() {
            assertThat(QueueSpec.standard("q").visibilityTimeout(Duration.ZERO).build().visibilityTimeout()).isZero();
            assertThat(QueueSpec.standard("q").visibilityTimeout(Duration.ofHours(12)).build().visibilityTimeout()).hasHours(12);
            assertRejected("visibilityTimeout", () -> QueueSpec.standard("q").visibilityTimeout(Duration.ofSeconds(43_201)).build(),
                    "43201 s", "0 s to 43200 s");
            assertRejected("visibilityTimeout", () -> QueueSpec.standard("q").visibilityTimeout(Duration.ofSeconds(-1)).build(),
                    "-1 s", "0 s to 43200 s");
        }

        @Test
        void delay_ofZeroTo900Seconds_isAcceptedAndOver_isRejected() {
            assertThat(QueueSpec.fifo("q.fifo").delay(Duration.ofSeconds(900)).build().delay()).hasSeconds(900);
            assertRejected("delay", () -> QueueSpec.standard("q").delay(Duration.ofSeconds(901)).build(), "901 s", "0 s to 900 s");
            assertRejected("delay", () -> QueueSpec.standard("q").delay(Duration.ofSeconds(-1)).build(), "-1 s", "0 s to 900 s");
        }

        @Test
        void receiveWaitTime_ofZeroTo20Seconds_isAcceptedAndOver_isRejected() {
            assertThat(QueueSpec.standard("q").receiveWaitTime(Duration.ofSeconds(20)).build().receiveWaitTime()).hasSeconds(20);
            assertRejected("receiveWaitTime", () -> QueueSpec.standard("q").receiveWaitTime(Duration.ofSeconds(21)).build(),
                    "21 s", "0 s to 20 s");
            assertRejected("receiveWaitTime", () -> QueueSpec.standard("q").receiveWaitTime(Duration.ofSeconds(-1)).build(),
                    "-1 s", "0 s to 20 s");
        }

        @Test
        void fractionalDurations_areRejectedNotRounded() {
            assertRejected("retention", () -> QueueSpec.standard("q").retention(Duration.ofMillis(60_500)).build(),
                    "60.5 s", "whole number of seconds");
            assertRejected("visibilityTimeout", () -> QueueSpec.standard("q").visibilityTimeout(Duration.ofMillis(1)).build(),
                    "0.001 s", "whole number of seconds");
            assertRejected("delay", () -> QueueSpec.standard("q").delay(Duration.ofNanos(1_000_000_001)).build(),
                    "1.000000001 s", "whole number of seconds");
        }

        @Test
        void nullDurations_areRejected() {
            assertRejected("visibilityTimeout", () -> QueueSpec.standard("q").visibilityTimeout(null).build(), "null");
            assertRejected("retention", () -> QueueSpec.standard("q").retention(null).build(), "null");
            assertRejected("delay", () -> QueueSpec.standard("q").delay(null).build(), "null");
            assertRejected("receiveWaitTime", () -> QueueSpec.standard("q").receiveWaitTime(null).build(), "null");
        }
    }

    @Nested
    class MaxMessageSize {
        @ParameterizedTest
        @ValueSource(ints = {1024, 1025, 262_144, 1_048_575, 1_048_576})
        void maxMessageSize_of1KiBTo1MiB_isAccepted(int size) {
            assertThat(QueueSpec.standard("q").maxMessageSize(size).build().maxMessageSize()).isEqualTo(size);
        }

        @ParameterizedTest
        @ValueSource(ints = {1023, 0, -1, 1_048_577})
        void maxMessageSize_outside1KiBTo1MiB_isRejected(int size) {
            assertRejected("maxMessageSize", () -> QueueSpec.standard("q").maxMessageSize(size).build(),
                    "is " + size + " bytes", "1024 to 1048576 bytes");
        }
    }

    @Nested
    class FifoOptions {
        @Test
        void contentBasedDeduplication_onStandardQueue_isRejected() {
            assertRejected("contentBasedDeduplication", () -> QueueSpec.standard("q").contentBasedDeduplication(true).build(),
                    "'q'", "standard", "FIFO");
        }

        @Test
        void deduplicationScope_onStandardQueue_isRejected() {
            assertRejected("deduplicationScope",
                    () -> QueueSpec.standard("q").deduplicationScope(DeduplicationScope.MESSAGE_GROUP).build(),
                    "MESSAGE_GROUP", "'q'", "standard", "FIFO");
        }

        @Test
        void fifoThroughputLimit_onStandardQueue_isRejected() {
            assertRejected("fifoThroughputLimit",
                    () -> QueueSpec.standard("q").fifoThroughputLimit(FifoThroughputLimit.PER_MESSAGE_GROUP_ID).build(),
                    "PER_MESSAGE_GROUP_ID", "'q'", "standard", "FIFO");
            assertRejected("deduplicationScope", () -> QueueSpec.standard("q").highThroughputFifo().build(), "standard");
        }

        @Test
        void perMessageGroupThroughput_withoutMessageGroupScope_isRejected() {
            assertRejected("fifoThroughputLimit", () -> QueueSpec.fifo("q.fifo")
                    .fifoThroughputLimit(FifoThroughputLimit.PER_MESSAGE_GROUP_ID).build(),
                    "PER_MESSAGE_GROUP_ID", "deduplicationScope MESSAGE_GROUP");
        }

        @Test
        void fifoOptions_onFifoQueue_areAccepted() {
            QueueSpec spec = QueueSpec.fifo("q.fifo").contentBasedDeduplication(true).highThroughputFifo().build();
            assertThat(spec.contentBasedDeduplication()).isTrue();
            assertThat(spec.deduplicationScope()).isEqualTo(DeduplicationScope.MESSAGE_GROUP);
            assertThat(spec.fifoThroughputLimit()).isEqualTo(FifoThroughputLimit.PER_MESSAGE_GROUP_ID);
            assertThat(QueueSpec.fifo("p.fifo").deduplicationScope(DeduplicationScope.MESSAGE_GROUP).build()
                    .fifoThroughputLimit()).isEqualTo(FifoThroughputLimit.PER_QUEUE);
        }
    }

    @Nested
    class DeadLetterAndConfigKey {
        @Test
        void ownDeadLetterQueue_isRejected() {
            assertRejected("deadLetter.targetQueue", () -> QueueSpec.standard("q").deadLetter("q", 3).build(), "'q'", "own");
        }

        @Test
        void deadLetter_canBeSetAndRemoved() {
            assertThat(QueueSpec.standard("q").deadLetter("dlq", 5).build().deadLetter()).isEqualTo(new DeadLetterPolicy("dlq", 5));
            assertThat(QueueSpec.standard("q").deadLetter("dlq", 5).deadLetter(null).build().deadLetter()).isNull();
        }

        @Test
        void configKey_defaultsToTheNameInUpperCaseWithUnderscores() {
            assertThat(QueueSpec.standard("async-jobs").build().configKey()).isEqualTo("ASYNC_JOBS");
            assertThat(QueueSpec.fifo("app-high.fifo").build().configKey()).isEqualTo("APP_HIGH_FIFO");
            assertThat(QueueSpec.standard("a_b-C9").build().configKey()).isEqualTo("A_B_C9");
            assertThat(QueueSpec.defaultConfigKey("dlq.fifo")).isEqualTo("DLQ_FIFO");
        }

        @ParameterizedTest
        @ValueSource(strings = {"A", "ASYNC", "ASYNC_FIFO", "Q1_2"})
        void configKey_ofUpperCaseDigitsAndUnderscore_isAccepted(String key) {
            assertThat(QueueSpec.standard("q").configKey(key).build().configKey()).isEqualTo(key);
        }

        @Test
        void configKey_of80Characters_isAcceptedAnd81_isRejected() {
            assertThat(QueueSpec.standard("q").configKey("K".repeat(80)).build().configKey()).hasSize(80);
            assertRejected("configKey", () -> QueueSpec.standard("q").configKey("K".repeat(81)).build(), "1 to 80", "[A-Z0-9_]");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "async", "ASYNC-JOBS", "A.B", "Ä", " A"})
        void configKey_withOtherCharacters_isRejected(String key) {
            assertRejected("configKey", () -> QueueSpec.standard("q").configKey(key).build(), "'" + key + "'", "1 to 80", "[A-Z0-9_]");
        }

        @Test
        void configKey_nullInTheConstructor_isRejected() {
            assertRejected("configKey", () -> new QueueSpec("q", false, Duration.ZERO, Duration.ofDays(1), Duration.ZERO,
                    Duration.ZERO, 1024, null, false, DeduplicationScope.QUEUE, FifoThroughputLimit.PER_QUEUE, null), "null");
        }
    }

    @Nested
    class Builders {
        @Test
        void standard_hasTheDocumentedDefaults() {
            QueueSpec spec = QueueSpec.standard("q").build();
            assertThat(spec).isEqualTo(new QueueSpec("q", false, Duration.ofSeconds(30), Duration.ofDays(4), Duration.ZERO,
                    Duration.ZERO, 256 * 1024, null, false, DeduplicationScope.QUEUE, FifoThroughputLimit.PER_QUEUE, "Q"));
            assertThat(QueueSpec.DEFAULT_VISIBILITY_TIMEOUT).hasSeconds(30);
            assertThat(QueueSpec.DEFAULT_RETENTION).hasDays(4);
        }

        @Test
        void fifo_hasTheDocumentedDefaults() {
            QueueSpec spec = QueueSpec.fifo("q.fifo").build();
            assertThat(spec.fifo()).isTrue();
            assertThat(spec.contentBasedDeduplication()).isFalse();
            assertThat(spec.deduplicationScope()).isEqualTo(DeduplicationScope.QUEUE);
            assertThat(spec.fifoThroughputLimit()).isEqualTo(FifoThroughputLimit.PER_QUEUE);
            assertThat(spec.configKey()).isEqualTo("Q_FIFO");
        }

        @Test
        void toBuilder_rebuildsAnEqualSpec() {
            QueueSpec spec = QueueSpec.fifo("orders.fifo").visibilityTimeout(Duration.ofSeconds(90))
                    .retention(Duration.ofHours(2)).delay(Duration.ofSeconds(5)).receiveWaitTime(Duration.ofSeconds(10))
                    .maxMessageSize(2048).deadLetter("orders-dlq.fifo", 7).contentBasedDeduplication(true)
                    .highThroughputFifo().configKey("ORDERS").build();
            assertThat(spec.toBuilder().build()).isEqualTo(spec);
        }

        @Test
        void toBuilder_changesOnlyTheCopy() {
            QueueSpec spec = QueueSpec.standard("q").visibilityTimeout(Duration.ofSeconds(90)).build();
            QueueSpec changed = spec.toBuilder().visibilityTimeout(Duration.ofSeconds(10)).build();
            assertThat(spec.visibilityTimeout()).hasSeconds(90);
            assertThat(changed.visibilityTimeout()).hasSeconds(10);
            assertThat(changed.name()).isEqualTo("q");
        }

        @Test
        void toBuilder_keepsAnExplicitConfigKeyAndTheDefaultOne() {
            assertThat(QueueSpec.standard("q").configKey("KEY").build().toBuilder().build().configKey()).isEqualTo("KEY");
            assertThat(QueueSpec.standard("q").build().toBuilder().build().configKey()).isEqualTo("Q");
        }

        @Test
        void builder_canBuildSeveralIndependentSpecs() {
            QueueSpec.Builder builder = QueueSpec.standard("q");
            QueueSpec first = builder.build();
            QueueSpec second = builder.visibilityTimeout(Duration.ofSeconds(1)).build();
            assertThat(first.visibilityTimeout()).hasSeconds(30);
            assertThat(second.visibilityTimeout()).hasSeconds(1);
        }
    }
}
