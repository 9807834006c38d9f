package dev.ben.receiver.kit;

/** How a request was served by {@link WebhookReceiver} or {@link IdempotentExecutor}. */
public enum Disposition {
    /**
     * The handler ran and answered 2xx or 4xx. A 2xx is stored and replayed to duplicates; a 4xx is stored only as
     * long as {@link IdempotentExecutor.Builder#clientErrorRetention} says (by default not at all).
     */
    EXECUTED,
    /** The handler ran and failed (exception or 5xx); nothing stored, a retry will run it again. */
    FAILED,
    /** A duplicate of a completed execution: the stored response was returned, the handler did not run. */
    REPLAYED,
    /** A duplicate while another execution holds the key: retryable 409 with {@code retry-after}. */
    IN_PROGRESS,
    /** Signature verification failed: 400 or 401, the handler did not run. */
    REJECTED,
    /**
     * The id was already used with another payload (another body under the same {@code webhook-id}): 422
     * {@code payload_mismatch}, the handler did not run, the stored record is untouched.
     */
    PAYLOAD_MISMATCH
}
