package dev.ben.receiver.kit;

import java.time.Instant;

/**
 * Persistence of idempotency records; implementations must be safe under concurrent callers.
 *
 * <p>Keys arrive already scoped ({@code <scope>#<id>}, see {@link IdempotentExecutor.Builder#scope}); a payload hash
 * is stored with the claim so that a later request under the same key with another body can be told apart
 * ({@code ""} when the caller has no payload to check).
 */
public interface IdempotencyStore {

    /**
     * Atomically claims {@code key} for the caller unless a live record exists. A record is live when it has not
     * passed {@code expiresAt} and is either COMPLETED or IN_PROGRESS with an unexpired in-progress lease.
     *
     * @param payloadHash the request's payload hash, stored with the claim ({@code ""}: none)
     */
    BeginOutcome begin(String key, String payloadHash, String leaseToken, Instant now, Instant inProgressUntil,
            Instant expiresAt);

    /**
     * Marks the record COMPLETED with the response, if the caller still holds the lease.
     *
     * @return {@code false} when the lease was lost (expired and claimed by someone else)
     */
    boolean complete(String key, String leaseToken, WebhookResponse response, Instant now, Instant expiresAt);

    /** Deletes the IN_PROGRESS record if the caller still holds the lease, so that a retry may run at once. */
    void release(String key, String leaseToken);

    /** Result of {@link #begin}. */
    sealed interface BeginOutcome {
        /** The caller holds the lease and must run the action. */
        record Acquired() implements BeginOutcome {
        }

        /** Someone else holds an unexpired lease, claimed with {@code payloadHash} ({@code ""}: unknown). */
        record HeldInProgress(Instant inProgressUntil, String payloadHash) implements BeginOutcome {
            public HeldInProgress(Instant inProgressUntil) {
                this(inProgressUntil, "");
            }
        }

        /** Already completed: the stored response, and the hash of the payload it answered ({@code ""}: unknown). */
        record Completed(WebhookResponse response, String payloadHash) implements BeginOutcome {
            public Completed(WebhookResponse response) {
                this(response, "");
            }
        }
    }
}
