package dev.ben.core.webhooks;

import java.time.Instant;
import java.util.Objects;

/** Outcome of {@link WebhookVerifier#verify}: {@link Verified} or {@link Rejected}. */
public sealed interface VerificationResult {

    /** Whether the message was accepted. */
    default boolean verified() {
        return this instanceof Verified;
    }

    /**
     * The signature matched one of the secrets and the timestamp is within tolerance.
     *
     * @param id        the {@code webhook-id} (the idempotency key)
     * @param timestamp the signed {@code webhook-timestamp}
     */
    record Verified(String id, Instant timestamp) implements VerificationResult {
        public Verified {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /**
     * The message was refused.
     *
     * @param reason  machine-readable reason
     * @param message what was wrong, safe to return to the caller and to log (no secrets, no signatures)
     */
    record Rejected(RejectionReason reason, String message) implements VerificationResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
