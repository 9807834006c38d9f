package dev.ben.core.webhooks;

/** Why a webhook request (or a configured secret) was refused. Each value says what to fix. */
public enum RejectionReason {
    /** {@code webhook-id}, {@code webhook-timestamp} or {@code webhook-signature} is absent or blank. */
    MISSING_HEADER,
    /** A header is present but not in the Standard Webhooks format (e.g. a non-integer timestamp). */
    MALFORMED_HEADER,
    /** The timestamp is older than the tolerance: a replay, or a badly skewed sender clock. */
    STALE_TIMESTAMP,
    /** The timestamp is further in the future than the tolerance. */
    FUTURE_TIMESTAMP,
    /** No {@code v1} signature matches any configured secret (tampered body, wrong secret, wrong id/timestamp). */
    NO_MATCHING_SIGNATURE,
    /** A configured secret is not {@code whsec_<base64>} (or plain base64) of at least one byte. */
    BAD_SECRET_FORMAT
}
