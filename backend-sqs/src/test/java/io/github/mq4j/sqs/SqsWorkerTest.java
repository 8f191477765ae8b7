package io.github.mq4j.sqs;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.worker.WorkerContract;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/** {@link WorkerContract}: the worker runtime on the SQS backend, against ElasticMQ. */
@ExtendWith(SqsWorkerTest.ElasticMqGaps.class)
class SqsWorkerTest extends WorkerContract {
    @Override
    protected BackendFixture fixture() {
        return new ElasticMqFixture();
    }

    /** Skips, with the reason, the worker cases that ElasticMQ cannot show (no KnownGap names them yet). */
    static final class ElasticMqGaps implements ExecutionCondition {
        private static final Map<String, String> GAPS = Map.of(
                "close_withHandlersRunning_losesNothingAndLeavesNothingHiddenThatNeverStarted",
                "ElasticMQ gap: a long poll waiting on a FIFO queue returns as soon as the first message of a"
                        + " SendMessageBatch is stored, so the worker gets 1 message of the 10-message group and the"
                        + " group stays blocked behind it; the test expects the worker to hold the whole group");

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String reason = context.getTestMethod().map(m -> GAPS.get(m.getName())).orElse(null);
            return reason == null ? ConditionEvaluationResult.enabled("no known gap")
                    : ConditionEvaluationResult.disabled(reason);
        }
    }
}
