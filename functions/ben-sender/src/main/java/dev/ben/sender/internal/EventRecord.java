package dev.ben.sender.internal;

import dev.ben.core.model.Event;
import java.time.Instant;
import java.util.List;

/**
 * The small per-event item of {@code ben-events}: what the status API's {@code GET /events/{eventId}} needs to
 * find the event's deliveries (one write per event, batched, not per delivery; the payload stays on the deliveries).
 *
 * @param endpointIds the endpoints the event went to (delivery ids are derived from event id and endpoint id)
 * @param note        why the event went nowhere when {@code endpointIds} is empty (no subscriber), else ""
 */
public record EventRecord(String eventId, String type, String source, String entityId, String tenantId,
                          long version, String sequence, Instant occurredAt, List<String> endpointIds, String note) {

    public EventRecord {
        endpointIds = List.copyOf(endpointIds);
        note = note == null ? "" : note;
    }

    public EventRecord(String eventId, String type, String source, String entityId, String tenantId, long version,
                       String sequence, Instant occurredAt, List<String> endpointIds) {
        this(eventId, type, source, entityId, tenantId, version, sequence, occurredAt, endpointIds, "");
    }

    public static EventRecord of(Event event, List<String> endpointIds) {
        return new EventRecord(event.id(), event.type(), event.source(), event.entityId(), event.tenantId(),
                event.version(), event.sequence(), event.occurredAt(), endpointIds, "");
    }

    /** An event no endpoint receives, kept with the reason so it is not a silent drop. */
    public static EventRecord unreceived(Event event, String reason) {
        return new EventRecord(event.id(), event.type(), event.source(), event.entityId(), event.tenantId(),
                event.version(), event.sequence(), event.occurredAt(), List.of(), reason);
    }
}
