package dev.ben.admin.internal;

import java.time.Instant;
import java.util.Optional;

/** Idempotency keys of create calls: claimed by a conditional write, then completed with the response or released. */
public interface IdempotencyStore {

    /**
     * What is stored under a key.
     *
     * @param fingerprint what the first request was (method, path, body), to refuse the key for another request
     * @param completed   false while the first request is running
     */
    record Stored(String fingerprint, boolean completed, int status, String body) {
    }

    /**
     * Claims {@code key} for a request unless a live claim or response holds it.
     *
     * @param lockedUntil a running claim older than this may be taken over (its request died half-way)
     * @return empty when claimed now; else what holds the key
     */
    Optional<Stored> claim(String key, String fingerprint, Instant now, Instant lockedUntil, Instant expiresAt);

    /** Stores the response of the request that claimed {@code key}. */
    void complete(String key, int status, String body);

    /** Gives up a claim whose request failed (a retry runs it again). */
    void release(String key);
}
