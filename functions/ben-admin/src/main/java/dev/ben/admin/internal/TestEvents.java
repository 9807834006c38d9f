package dev.ben.admin.internal;

import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Event;
import dev.ben.core.model.EventIds;
import dev.ben.sender.internal.DeliveryStore;
import dev.ben.sender.internal.RetryQueue;
import dev.ben.sender.internal.StoredDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST …/endpoints/{endpointId}/test}: a {@value #TYPE} event to one endpoint through the real delivery path.
 * The delivery is written PENDING with a queue token and its id sent on the retry queue with that token, exactly as
 * notify leaves a delivery whose first attempt must wait; the retry function then signs and POSTs it (custom headers
 * included), retries it on failure and records every attempt. Whatever the endpoint subscribes to, it gets the test.
 */
public final class TestEvents {

    public static final String TYPE = "ben.test";
    private static final String TOKEN_PREFIX = "test-";

    private final OwnedEndpoints endpoints;
    private final DeliveryStore deliveries;
    private final RetryQueue queue;
    private final Clock clock;

    public TestEvents(OwnedEndpoints endpoints, DeliveryStore deliveries, RetryQueue queue, Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.queue = queue;
        this.clock = clock;
    }

    public ApiResponse send(ApiRequest request) {
        Body.of(request, true, Set.of());
        Endpoint endpoint = endpoints.of(request);
        if (!endpoint.enabled()) {
            throw new ApiException(409, ApiException.CONFLICT, "endpoint " + endpoint.id() + " is disabled ("
                    + endpoint.disabledReason() + "): enable it to test it", null);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Event event = event(endpoint, now);
        Delivery delivery = Delivery.pending(event, endpoint.id(), now);
        String token = TOKEN_PREFIX + UUID.randomUUID();
        deliveries.createIfAbsent(StoredDelivery.of(event, delivery, "").with(delivery, token));
        // if this send fails the delivery is PENDING and overdue: the sweeper enqueues it (nothing lost)
        queue.send(delivery.id(), token, Duration.ZERO);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("deliveryId", delivery.id());
        view.put("eventId", event.id());
        view.put("eventType", TYPE);
        view.put("status", DeliveryStatus.PENDING.name());
        return ApiResponse.json(202, view);
    }

    private static Event event(Endpoint endpoint, Instant now) {
        String id = EventIds.eventId(TYPE, UUID.randomUUID().toString());
        String entityId = TYPE + ":" + endpoint.id();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", TYPE);
        payload.put("id", id);
        payload.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(now));
        payload.put("entityId", entityId);
        if (!endpoint.tenantId().isEmpty()) {
            payload.put("tenantId", endpoint.tenantId());
        }
        payload.put("data", Map.of("endpointId", endpoint.id(), "message", "a test event sent through the management "
                + "API; it changes nothing"));
        return new Event(id, TYPE, TYPE, entityId, endpoint.tenantId(), Event.NO_VERSION, "", now,
                ApiJson.write(payload), "");
    }
}
