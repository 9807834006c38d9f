package dev.ben.sender.internal;

import dev.ben.core.model.Endpoint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Endpoints (subscriptions) table. */
public interface EndpointStore {

    /**
     * Endpoints of this tenant ("" = tenant-less endpoints) subscribed to the event type, enabled or not (events for
     * a disabled one become CANCELLED deliveries): see {@link Endpoint#subscribedTo}.
     */
    List<Endpoint> subscribedTo(String eventType, String tenantId);

    /** Every endpoint, enabled or not (the sweeper reads their circuits); malformed ones are reported and left out. */
    List<Endpoint> all();

    /** The endpoint, enabled or not; empty when unknown. Throws {@link IllegalArgumentException} when malformed. */
    Optional<Endpoint> find(String endpointId);

    /** Disables the endpoint with a reason. */
    void disable(String endpointId, String reason, Instant at);

    /** Records the start of a run of failures unless one is already recorded. */
    void markFailing(String endpointId, Instant since);

    /** Clears the failure run after a success. */
    void clearFailing(String endpointId);
}
