package io.github.mq4j.worker;

/** Why a message handled by a worker goes to its dead-letter queue. */
public enum DeadLetterReason {
    /**
     * The handler rejected it as poison ({@link MessageContext#rejectAsPoison(String)} or
     * {@link PoisonMessageException}); the worker moved it at once.
     */
    REJECTED,
    /**
     * Its handler failed on the last receive the queue's max receive count allows; the worker made
     * it visible again and the backend moves it to the dead-letter queue on its next receive.
     */
    MAX_RECEIVES
}
