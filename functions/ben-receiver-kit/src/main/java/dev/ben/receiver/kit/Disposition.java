package dev.ben.receiver.kit;

/** How a request was served by {@link WebhookReceiver} or {@link IdempotentExecutor}. */
public enum Disposition {
    /** The handler ran and its response was stored (2xx/4xx). */
    EXECUTED,
    /** The handler ran and failed (exception or 5xx); nothing stored, a retry will run it again. */
    FAILED,
    /** A duplicate of a completed execution: the stored response was returned, the handler did not run. */
    REPLAYED,
    /** A duplicate while another execution holds the key: retryable 409 with {@code retry-after}. */
    IN_PROGRESS,
    /** Signature verification failed: 400 or 401, the handler did not run. */
    REJECTED
}
