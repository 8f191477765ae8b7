package io.github.mq4j.sqs;

import io.github.mq4j.BackendException;
import io.github.mq4j.MessageQueueException;
import io.github.mq4j.StaleReceiptException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Translates AWS SDK errors into mq4j exceptions at the backend's edge, keeping the SDK's
 * exception as the cause. Throttling never reaches here as such: the SDK's retry policy retries
 * it, and only an exhausted retry surfaces (as a {@link BackendException}). Stateless.
 */
final class SqsErrors {
    private SqsErrors() {}

    /** The error code of an SDK exception, or {@code null} for client-side failures (network, credentials). */
    static @Nullable String code(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            return ase.awsErrorDetails().errorCode();
        }
        return null;
    }

    /** Translates a failed call on {@code queue} (logical name). */
    static MessageQueueException translate(String operation, String queue, SdkException e) {
        String code = code(e);
        String detail = code == null ? e.getMessage() : code + ": " + message(e);
        if (code != null && code.endsWith("QueueDoesNotExist") || "AWS.SimpleQueueService.NonExistentQueue".equals(code)) {
            return new BackendException("SQS " + operation + " on queue '" + queue + "' failed: the SQS queue does not exist ("
                    + detail + ")", queue, e);
        }
        if (code != null && code.endsWith("PurgeQueueInProgress")) {
            return new BackendException("SQS " + operation + " on queue '" + queue + "' failed: SQS allows one purge per queue"
                    + " every 60 seconds (" + detail + ")", queue, e);
        }
        return new BackendException("SQS " + operation + " on queue '" + queue + "' failed: " + detail, queue, e);
    }

    /**
     * Translates the failure of one receipt operation on a receipt this backend issued (its check
     * passed, so SQS handed out the handle): SQS refusing the handle means the message is no
     * longer in flight under it — deleted, received again, or its visibility timeout passed — so
     * that is a {@link StaleReceiptException}; anything else is a {@link BackendException}.
     * ({@code ReceiptHandleIsInvalid} is what ElasticMQ answers for a handle of an earlier receive
     * or of a deleted message; SQS answers {@code MessageNotInflight} or {@code InvalidParameterValue}.)
     */
    static RuntimeException receiptError(String operation, String queue, @Nullable String messageId, @Nullable String code,
            @Nullable String message, @Nullable Throwable cause) {
        String c = code == null ? "" : code;
        String m = message == null ? "" : message;
        if (isStale(c, m)) {
            StaleReceiptException stale = new StaleReceiptException(queue, messageId);
            if (cause != null) {
                stale.addSuppressed(cause); // StaleReceiptException fixes its cause to none
            }
            return stale;
        }
        return new BackendException("SQS " + operation + " on queue '" + queue + "' failed"
                + (messageId == null ? "" : " for message " + messageId) + ": " + c + ": " + m, queue, cause);
    }

    private static boolean isStale(String code, String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return code.contains("MessageNotInflight") || code.contains("ReceiptHandleIsInvalid")
                || code.contains("InvalidParameterValue") && m.contains("receipt")
                || m.contains("not in flight") || m.contains("not inflight")
                || m.contains("has expired") || m.contains("receipt handle has expired")
                || m.contains("not available for visibility timeout change")
                || m.contains("does not exist or is not available");
    }

    private static String message(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null && ase.awsErrorDetails().errorMessage() != null) {
            return ase.awsErrorDetails().errorMessage();
        }
        return String.valueOf(e.getMessage());
    }

    /** The SDK exception's error message, for per-entry errors. */
    static String errorMessage(SdkException e) {
        return message(e);
    }
}
