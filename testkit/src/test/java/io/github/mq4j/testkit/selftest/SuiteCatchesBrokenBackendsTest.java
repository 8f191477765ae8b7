package io.github.mq4j.testkit.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The suite is not vacuous: on a backend that breaks one rule, the tests of that rule fail. Each
 * case runs a few contract tests on one of {@link BrokenBackends} through the JUnit Platform and
 * checks their outcome.
 */
class SuiteCatchesBrokenBackendsTest {

    /** Runs the named test methods of {@code testClass} and returns each one's outcome by method name. */
    private static Map<String, TestExecutionResult.Status> run(Class<?> testClass, String... methods) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (String method : methods) {
            request.selectors(selectMethod(testClass, method));
        }
        LauncherDiscoveryRequest built = request.build();
        Map<String, TestExecutionResult.Status> outcomes = new ConcurrentHashMap<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(built, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                id.getSource().ifPresent(source -> {
                    if (source instanceof MethodSource m) {
                        outcomes.put(m.getMethodName(), result.getStatus());
                    }
                });
            }
        });
        return outcomes;
    }

    private static void assertAllFail(Class<?> broken, String... methods) {
        Map<String, TestExecutionResult.Status> outcomes = run(broken, methods);
        List<String> notFailed = new ArrayList<>();
        for (String method : methods) {
            if (outcomes.get(method) != TestExecutionResult.Status.FAILED) {
                notFailed.add(method + " -> " + outcomes.get(method));
            }
        }
        assertThat(notFailed).as("tests that should catch %s", broken.getSimpleName()).isEmpty();
    }

    @Test
    void catchesIgnoredRequestVisibilityTimeout() {
        assertAllFail(BrokenBackends.IgnoresRequestVisibility.class,
                "receive_requestVisibilityTimeoutOverridesQueueTimeout",
                "receive_withZeroVisibilityTimeout_leavesMessageVisible");
    }

    @Test
    void catchesSwallowedStaleReceipts() {
        assertAllFail(BrokenBackends.SwallowsStaleReceipts.class,
                "changeVisibility_withStaleReceipt_throwsAndChangesNothing",
                "changeVisibility_afterTimeoutPassed_throwsStaleReceipt",
                "changeVisibility_ofDeletedMessage_throwsStaleReceipt");
    }

    @Test
    void catchesIgnoredDeletes() {
        assertAllFail(BrokenBackends.IgnoresDeletes.class,
                "delete_removesMessageForGood", "delete_byReceiptString_removesMessage", "delete_removesOnlyThatMessage");
    }

    @Test
    void catchesBrokenFifoOrder() {
        assertAllFail(BrokenBackends.ReversesEachReceive.class,
                "group_isDeliveredInOrderSent", "interleavedGroups_keepOrderWithinEachGroup");
    }

    @Test
    void catchesMissingDeduplication() {
        assertAllFail(BrokenBackends.NeverDeduplicates.class,
                "secondSendWithSameDeduplicationId_returnsFirstMessageIdAndEnqueuesNothing",
                "contentBasedDeduplication_suppressesSameBody",
                "duplicate_isSuppressedEvenAfterFirstWasDeleted");
    }

    @Test
    void catchesDeadLettersLosingAttributes() {
        assertAllFail(BrokenBackends.DeadLettersLoseAttributes.class,
                "message_pastMaxReceiveCount_movesToDeadLetterQueueIntact",
                "moveToDeadLetter_movesReceivedMessageAtOnce",
                "fifoMessage_pastMaxReceiveCount_movesToFifoDeadLetterQueueWithGroup");
    }

    @Test
    void catchesBatchFailureSpreadingToOtherEntries() {
        assertAllFail(BrokenBackends.FailsRestOfBatch.class,
                "sendBatch_withOneInvalidEntry_failsThatEntryAlone",
                "sendBatch_withSeveralInvalidEntries_failsEachWithItsOwnReason");
    }

    @Test
    void catchesMissingStats() {
        assertAllFail(BrokenBackends.ReportsNoStats.class,
                "stats_countSentMessagesAsVisible", "stats_separateVisibleAndInFlight", "stats_countDelayedMessagesAsDelayed");
    }

    @Test
    void catchesClientUsableAfterClose() {
        assertAllFail(BrokenBackends.IgnoresClose.class,
                "queueLookup_afterClose_throwsIllegalState", "everyQueueOperation_afterClose_throwsIllegalState");
    }

    @Test
    void catchesDuplicateDeliveries() {
        assertAllFail(BrokenBackends.DeliversTwice.class, "competingReceives_ofFewMessages_neverShareAMessage");
    }

    @Test
    void passesTheUnbrokenRulesOfABrokenBackend() {
        Map<String, TestExecutionResult.Status> outcomes = run(BrokenBackends.IgnoresDeletes.class,
                "send_returnsMessageIdThatReceiveReports", "body_roundTripsEveryAllowedCharacterClass");

        assertThat(outcomes).containsEntry("send_returnsMessageIdThatReceiveReports", TestExecutionResult.Status.SUCCESSFUL)
                .containsEntry("body_roundTripsEveryAllowedCharacterClass", TestExecutionResult.Status.SUCCESSFUL);
    }

    @Test
    void catchesBodiesThatDoNotArriveExactlyAsSent() {
        assertAllFail(BrokenBackends.NormalizesLineEnds.class,
                "bodies_withAllowedEdgeCharactersAndMetacharacters_arriveExactlyAsSent");
    }

    @Test
    void catchesIdsWithMetacharactersThatDoNotArriveExactlyAsSent() {
        assertAllFail(BrokenBackends.DoublesQuotesInGroupIds.class,
                "groupAndDeduplicationIds_withSqlMetacharacters_arriveExactlyAsSentAndDeduplicate",
                "groupIds_withMetacharacters_areDistinctGroupsKeepingTheirOrder");
    }

    @Test
    void catchesForgedReceiptsThatReachAnotherMessage() {
        assertAllFail(BrokenBackends.DeletesLastReceivedForUnknownReceipts.class,
                "receipt_thatIsForged_isRejectedAndTouchesNothing", "receipt_ofAnotherQueue_isRejectedInEveryOperation",
                "receipt_fromAnotherBackendOrClient_isRejected");
    }
}
