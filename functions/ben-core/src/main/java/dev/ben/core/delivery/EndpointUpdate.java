package dev.ben.core.delivery;

import java.time.Instant;

/** What an attempt means for its endpoint's health. Switch over it exhaustively. */
public sealed interface EndpointUpdate {

    /** Nothing to write. */
    record Unchanged() implements EndpointUpdate {
    }

    /** A success ended a run of failures: clear {@code firstFailureAt}. */
    record Healthy() implements EndpointUpdate {
    }

    /**
     * The first failure after a success: set {@code firstFailureAt} to {@code since} if it is still unset
     * (a conditional write, so concurrent failures keep the earliest).
     */
    record Failing(Instant since) implements EndpointUpdate {
    }

    /** Disable the endpoint with this reason (410 Gone, or only failures for the auto-disable period). */
    record Disable(String reason) implements EndpointUpdate {
    }

    static EndpointUpdate unchanged() {
        return new Unchanged();
    }
}
