package dev.ben.sender.testing;

import dev.ben.core.model.Circuit;
import dev.ben.sender.internal.CircuitStore;

/** Circuit state on the in-memory endpoints, with the conditional semantics of the DynamoDB adapter. */
public final class InMemoryCircuits implements CircuitStore {

    private final InMemoryStores.Endpoints endpoints;

    public InMemoryCircuits(InMemoryStores.Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public synchronized boolean transition(String endpointId, Circuit expected, Circuit next) {
        var endpoint = endpoints.items.get(endpointId);
        if (endpoint == null || !matches(endpoint.circuit(), expected)) {
            return false;
        }
        endpoints.items.put(endpointId, endpoint.withCircuit(next));
        return true;
    }

    private static boolean matches(Circuit stored, Circuit expected) {
        if (expected.closed()) {
            return stored.closed();
        }
        return stored.state() == expected.state() && stored.retryAt().equals(expected.retryAt());
    }
}
