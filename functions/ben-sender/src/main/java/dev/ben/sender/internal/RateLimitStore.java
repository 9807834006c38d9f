package dev.ben.sender.internal;

import java.time.Duration;
import java.time.Instant;

/** A per-endpoint rate limit shared by every invocation. */
public interface RateLimitStore {

    /**
     * Takes one send slot of the endpoint if fewer than {@code perSecond} were taken in the last window:
     * {@link Duration#ZERO} = go now; otherwise how long until a slot frees up (nothing taken).
     */
    Duration tryAcquire(String endpointId, int perSecond, Instant now);
}
