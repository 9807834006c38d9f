package dev.ben.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A notification derived from one change of a source record.
 *
 * @param id            deterministic id, {@code evt_…} (see {@link EventIds#eventId}); also the {@code webhook-id}
 * @param type          event type, e.g. {@code order.paid}
 * @param entityId      id of the changed record, e.g. the order id
 * @param entityVersion the record's version after the change, so receivers can ignore stale states
 * @param occurredAt    when the change happened
 * @param payload       the exact JSON body that is POSTed (and signed)
 */
public record Event(String id, String type, String entityId, long entityVersion, Instant occurredAt, String payload) {
    public Event {
        requireText(id, "id");
        requireText(type, "type");
        requireText(entityId, "entityId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
    }

    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be a non-blank string");
        }
    }
}
