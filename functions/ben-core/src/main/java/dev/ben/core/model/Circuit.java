package dev.ben.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An endpoint's circuit breaker as stored on the endpoint (shared by every invocation).
 *
 * @param state        CLOSED (attempts go ahead), OPEN (deliveries are parked until {@code retryAt}), HALF_OPEN
 *                     (one probe is in flight until {@code retryAt}; everyone else parks)
 * @param retryAt      OPEN: when a probe may be made; HALF_OPEN: when the probe's claim lapses (a crashed prober
 *                     never keeps the circuit half-open); {@code null} when CLOSED
 * @param failedProbes probes that failed in a row (the open time doubles with each)
 * @param changedAt    when the state last changed; for CLOSED after an incident, the start of the drain period
 *                     ({@code null} = never opened)
 * @param reason       why it opened (the failure that tripped it, or the failed probe's), "" when CLOSED
 */
public record Circuit(State state, Instant retryAt, int failedProbes, Instant changedAt, String reason) {

    /** The state of a circuit breaker. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** Closed and never opened. */
    public static final Circuit CLOSED = new Circuit(State.CLOSED, null, 0, null, "");

    public Circuit {
        Objects.requireNonNull(state, "state");
        if (state != State.CLOSED) {
            Objects.requireNonNull(retryAt, "retryAt");
        }
        if (failedProbes < 0) {
            throw new IllegalArgumentException("failedProbes must be >= 0, got " + failedProbes);
        }
        reason = reason == null ? "" : reason;
    }

    public boolean closed() {
        return state == State.CLOSED;
    }
}
