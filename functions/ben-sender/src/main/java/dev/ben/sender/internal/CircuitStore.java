package dev.ben.sender.internal;

import dev.ben.core.model.Circuit;

/** Where an endpoint's circuit breaker lives, shared by every invocation (on the endpoint item). */
public interface CircuitStore {

    /**
     * Moves the endpoint's circuit from {@code expected} to {@code next} with a conditional write; false when it is
     * no longer {@code expected} (another invocation moved it first, or the endpoint was deleted).
     */
    boolean transition(String endpointId, Circuit expected, Circuit next);
}
