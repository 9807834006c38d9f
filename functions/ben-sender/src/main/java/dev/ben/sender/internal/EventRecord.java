package dev.ben.sender.internal;

import dev.ben.core.model.Event;
import java.time.Instant;
import java.util.List;

/**
 * The small per-event item of {@code ben-events}: what the status API's {@code GET /events/{eventId}} needs to
 * find the event's deliveries (one write per event, batched, not per delivery; the payload stays on the deliveries).
 *
 * @param endpointIds the endpoints the event went to (delivery ids are derived from event id and endpoint id)
 */
public record EventRecord(String eventId, String type, String source, String entityId, String tenantId,
                          long version, String sequence, Instant occurredAt, List<String> endpointIds) {

    public EventRecord {
        endpointIds = List.copyOf(endpointIds);
    }

    public static EventRecord of(Event event, List<String> endpointIds) {
        return new EventRecord(event.id(), event.type(), event.source(), event.entityId(), event.tenantId(),
                event.version(), event.sequence(), event.occurredAt(), endpointIds);
    }
}
