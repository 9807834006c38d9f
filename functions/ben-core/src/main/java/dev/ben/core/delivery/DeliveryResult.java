package dev.ben.core.delivery;

import java.time.Duration;
import java.time.Instant;

/** The verdict on one attempt. Switch over it exhaustively. */
public sealed interface DeliveryResult {

    /** The short reason recorded as the delivery's {@code lastError} (empty for {@link Delivered}). */
    String reason();

    /** 2xx within the timeout: DELIVERED. */
    record Delivered(int statusCode) implements DeliveryResult {
        @Override
        public String reason() {
            return "";
        }
    }

    /** Try again at {@code at} ({@code = now + after}): RETRYING. */
    record Retry(Instant at, Duration after, String reason) implements DeliveryResult {
    }

    /**
     * Not attempted and not counted: the endpoint's circuit is open until {@code until}, so the delivery waits in the
     * store (RETRYING, parked, no queue message) until the circuit lets it go.
     */
    record Parked(Instant until, String reason) implements DeliveryResult {
    }

    /** 410 Gone: the receiver says the endpoint no longer exists. FAILED, and the endpoint is disabled. */
    record Gone(String reason) implements DeliveryResult {
    }

    /**
     * Can never succeed (invalid or blocked URL, endpoint disabled, payload too large): FAILED without
     * further attempts.
     */
    record Rejected(String reason) implements DeliveryResult {
    }

    /** The retry schedule or the max age is used up: FAILED with the last error. */
    record Exhausted(String reason) implements DeliveryResult {
    }

    /** Cancelled without an attempt (operator, or the endpoint was disabled meanwhile): CANCELLED. */
    record Cancelled(String reason) implements DeliveryResult {
    }
}
