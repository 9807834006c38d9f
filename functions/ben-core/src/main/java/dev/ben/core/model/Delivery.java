package dev.ben.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of one event's delivery to one endpoint.
 *
 * @param id             deterministic id, {@code dlv_…} (see {@link EventIds#deliveryId})
 * @param eventId        the event ({@code evt_…}); also the {@code webhook-id} header on every attempt
 * @param endpointId     the endpoint
 * @param entityId       the changed record's id (for "deliveries of this entity" queries)
 * @param tenantId       the event's tenant, "" for none (tenant-scoped queries and the status API)
 * @param status         lifecycle state
 * @param attempts       HTTP attempts made so far (0 when just created)
 * @param nextAttemptAt  when the next attempt is due; {@code null} once terminal (keeps a sparse index small)
 * @param lastStatusCode status of the last attempt, 0 when none or no response
 * @param lastError      reason of the last failure, empty when none
 * @param createdAt      creation time (the start of the max-age window)
 * @param updatedAt      last change
 * @param parked         RETRYING without a queue message: its endpoint's circuit is open, so it waits in the store
 *                       (due at {@code nextAttemptAt}, the circuit's {@code retryAt}) until the sweeper releases it
 */
public record Delivery(String id, String eventId, String endpointId, String entityId, String tenantId,
                       DeliveryStatus status,
                       int attempts, Instant nextAttemptAt, int lastStatusCode, String lastError,
                       Instant createdAt, Instant updatedAt, boolean parked) {
    public Delivery {
        Event.requireText(id, "id");
        Event.requireText(eventId, "eventId");
        Event.requireText(endpointId, "endpointId");
        entityId = entityId == null ? "" : entityId;
        tenantId = tenantId == null ? "" : tenantId;
        Objects.requireNonNull(status, "status");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0, got " + attempts);
        }
        if (status.terminal()) {
            nextAttemptAt = null;
        } else {
            Objects.requireNonNull(nextAttemptAt, "nextAttemptAt is required while " + status);
        }
        lastError = lastError == null ? "" : lastError;
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (parked && status != DeliveryStatus.RETRYING) {
            throw new IllegalArgumentException("only a RETRYING delivery can be parked, not a " + status + " one");
        }
    }

    /** A new PENDING delivery of {@code event} to {@code endpointId}, due now, with its deterministic id. */
    public static Delivery pending(Event event, String endpointId, Instant now) {
        return new Delivery(EventIds.deliveryId(event.id(), endpointId), event.id(), endpointId, event.entityId(),
                event.tenantId(), DeliveryStatus.PENDING, 0, now, 0, "", now, now, false);
    }

    /** The delivery moved on (attempted, deferred, released, settled): never parked any more. */
    public Delivery withStatus(DeliveryStatus newStatus, int newAttempts, Instant newNextAttemptAt,
                               int newLastStatusCode, String newLastError, Instant now) {
        return new Delivery(id, eventId, endpointId, entityId, tenantId, newStatus, newAttempts, newNextAttemptAt,
                newLastStatusCode, newLastError, createdAt, now, false);
    }

    /**
     * Parked until {@code until} (its endpoint's circuit is open): RETRYING with no attempt counted and the last
     * status code kept, {@code reason} as the last error.
     */
    public Delivery park(Instant until, String reason, Instant now) {
        return new Delivery(id, eventId, endpointId, entityId, tenantId, DeliveryStatus.RETRYING, attempts, until,
                lastStatusCode, reason, createdAt, now, true);
    }
}
