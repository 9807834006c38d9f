package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.Event;
import dev.ben.core.model.EventIds;
import dev.ben.core.observability.Json;
import dev.ben.events.SampleEvents;
import dev.ben.sender.testing.UnitRig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusServiceTest {

    private static final Instant T0 = Instant.parse("2026-11-29T22:00:00Z");

    private final UnitRig rig = new UnitRig();
    private final StatusService service = new StatusService(rig.deliveries, rig.attempts, rig.events,
            Optional.of("s3cret"));

    @Test
    void status_withoutOrWithAWrongToken_is401_butIamCallersPass() {
        rig.notifyService(NotifyMode.SAFE).process(
                SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class).getRecords());

        assertThat(get("/entities/ord_1001/events", false, null).status()).isEqualTo(401);
        assertThat(get("/entities/ord_1001/events", false, "Bearer nope").status()).isEqualTo(401);
        assertThat(get("/entities/ord_1001/events", true, null).status()).isEqualTo(200);
        assertThat(new StatusService(rig.deliveries, rig.attempts, rig.events, Optional.empty())
                .handle("GET", "/entities/ord_1001/events", Map.of(), false, "Bearer s3cret").status()).isEqualTo(401);
    }

    @Test
    void entityEvents_afterNotify_listTheEventWithPayloadAndDeliveries_andLeadToEventAndDelivery() {
        rig.notifyService(NotifyMode.SAFE).process(
                SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class).getRecords());

        var response = get("/entities/ord_1001/events", false, "Bearer s3cret");

        assertThat(response.status()).isEqualTo(200);
        String json = Json.write(response.body());
        assertThat(json).startsWith("{\"entityId\":\"ord_1001\",\"events\":[{\"eventId\":\"evt_")
                .contains("\"type\":\"order.paid\",\"entityId\":\"ord_1001\",\"version\":2,"
                        + "\"sequence\":\"200000000000000000002\"")
                .contains("\"payload\":{\"type\":\"order.paid\"")
                .contains("\"status\":\"DELIVERED\",\"attempts\":1");
        String eventId = (String) first(response, "events").get("eventId");
        var event = get("/events/" + eventId, true, null);
        assertThat(event.status()).isEqualTo(200);
        assertThat(Json.write(event.body())).contains("\"source\":\"orders\"").contains("\"payload\":{\"type\"")
                .contains("\"endpointId\":\"ep-1\"");
        String deliveryId = (String) ((Map<?, ?>) ((List<?>) event.body().get("deliveries")).getFirst())
                .get("deliveryId");
        var delivery = get("/deliveries/" + deliveryId, false, "bearer s3cret");
        assertThat(delivery.status()).isEqualTo(200);
        assertThat((List<?>) delivery.body().get("history")).hasSize(1);
        assertThat(delivery.body()).containsEntry("version", 2L).containsEntry("sequence", "200000000000000000002");
    }

    @Test
    void entityEvents_latestFirst_byVersion_elseSequence_elseTime() {
        put("evt_aaaaaaaaaaaa", "t", "e-1", "", 1, "100000000000000000009", T0);
        put("evt_bbbbbbbbbbbb", "t", "e-1", "", 3, "100000000000000000001", T0);
        put("evt_cccccccccccc", "t", "e-1", "", 2, "100000000000000000005", T0.plusSeconds(60));
        put("evt_dddddddddddd", "u", "e-2", "", Event.NO_VERSION, "900000000000000000001", T0.plusSeconds(9));
        put("evt_eeeeeeeeeeee", "u", "e-2", "", Event.NO_VERSION, "1000000000000000000000", T0);
        put("evt_ffffffffffff", "u", "e-2", "", Event.NO_VERSION, "", T0.plusSeconds(99));

        assertThat(eventIds(get("/entities/e-1/events", true, null)))
                .containsExactly("evt_bbbbbbbbbbbb", "evt_cccccccccccc", "evt_aaaaaaaaaaaa");
        assertThat(eventIds(get("/entities/e-2/events", true, null)))
                .as("22 digits > 21 digits; no sequence falls back to time")
                .containsExactly("evt_ffffffffffff", "evt_eeeeeeeeeeee", "evt_dddddddddddd");
    }

    @Test
    void tenantScope_eachTenantSeesOnlyItsOwn_andTenantlessCallersOnlyTenantless() {
        put("evt_aaaaaaaaaaaa", "invoice.Settled", "tenant-a|1", "tenant-a", Event.NO_VERSION, "100000000000000000001", T0);
        put("evt_bbbbbbbbbbbb", "invoice.Settled", "tenant-a|1", "tenant-b", Event.NO_VERSION, "100000000000000000002", T0);
        put("evt_cccccccccccc", "invoice.audit", "tenant-a|1", "", Event.NO_VERSION, "100000000000000000003", T0);

        assertThat(eventIds(get("/entities/tenant-a%7C1/events?tenant=tenant-a", true, null)))
                .containsExactly("evt_aaaaaaaaaaaa");
        assertThat(eventIds(get("/entities/tenant-a%7C1/events?tenant=tenant-b", true, null)))
                .containsExactly("evt_bbbbbbbbbbbb");
        assertThat(eventIds(get("/entities/tenant-a%7C1/events", true, null))).containsExactly("evt_cccccccccccc");
        assertThat(get("/entities/tenant-a%7C1/events?tenant=tenant-c", true, null).status()).isEqualTo(404);
    }

    @Test
    void tenantScope_anotherTenantsEventOrDelivery_is404_likeAnUnknownId() {
        put("evt_aaaaaaaaaaaa", "invoice.Settled", "tenant-a|1", "tenant-a", Event.NO_VERSION, "100000000000000000001", T0);
        String delivery = EventIds.deliveryId("evt_aaaaaaaaaaaa", "ep-a");

        assertThat(get("/events/evt_aaaaaaaaaaaa?tenant=tenant-a", true, null).status()).isEqualTo(200);
        assertThat(get("/deliveries/" + delivery + "?tenant=tenant-a", true, null).status()).isEqualTo(200);
        var other = get("/events/evt_aaaaaaaaaaaa?tenant=tenant-b", true, null);
        var unknown = get("/events/evt_zzzzzzzzzzzz?tenant=tenant-b", true, null);
        assertThat(other.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(String.valueOf(other.body().get("error"))).startsWith("unknown event evt_aaaaaaaaaaaa for tenant");
        assertThat(get("/events/evt_aaaaaaaaaaaa", true, null).status()).as("no tenant given").isEqualTo(404);
        assertThat(get("/deliveries/" + delivery + "?tenant=tenant-b", true, null).status()).isEqualTo(404);
        assertThat(get("/deliveries/" + delivery, true, null).status()).isEqualTo(404);
    }

    @Test
    void compositeEntityIds_arePercentDecodedFromThePath() {
        put("evt_aaaaaaaaaaaa", "t", "a b|c/d", "", Event.NO_VERSION, "100000000000000000001", T0);

        assertThat(eventIds(get("/entities/a%20b%7Cc%2Fd/events", true, null))).containsExactly("evt_aaaaaaaaaaaa");
    }

    @Test
    void badAndUnknownIds_getClear4xx() {
        assertThat(get("/entities/" + "x".repeat(2049) + "/events", true, null).status()).isEqualTo(400);
        assertThat(get("/entities/bad%zz/events", true, null).status()).isEqualTo(400);
        assertThat(get("/entities/ord_404/events", true, null).body()).containsEntry("error",
                "no events of entity ord_404 (without ?tenant=, only tenant-less events are visible)");
        assertThat(get("/entities/x/events?tenant=a%20b".replace("%20", " "), true, null).status()).isEqualTo(400);
        assertThat(get("/events/dlv_123", true, null).status()).isEqualTo(400);
        assertThat(get("/deliveries/evt_123", true, null).status()).isEqualTo(400);
        assertThat(get("/deliveries/dlv_6c4a1f0e2b9d4e8f", true, null).status()).isEqualTo(404);
        assertThat(service.handle("POST", "/events/evt_aaaaaaaaaaaa", Map.of(), true, null).status()).isEqualTo(405);
        assertThat(get("/orders/ord_1001", true, null).status()).isEqualTo(404);
        assertThat(get("/nope", true, null).body().get("error").toString())
                .contains("GET /entities/{entityId}/events");
    }

    // ------------------------------------------------------------------ helpers

    private StatusService.Response get(String pathAndQuery, boolean iam, String authorization) {
        int q = pathAndQuery.indexOf('?');
        Map<String, String> query = q < 0 ? Map.of() : Map.of("tenant", pathAndQuery.substring(q + "?tenant=".length()));
        return service.handle("GET", q < 0 ? pathAndQuery : pathAndQuery.substring(0, q), query, iam, authorization);
    }

    /** An event of one delivery (to ep-a), stored as notify stores it. */
    private void put(String eventId, String type, String entity, String tenant, long version, String sequence,
                     Instant at) {
        Event e = new Event(eventId, type, "src", entity, tenant, version, sequence, at, "{\"id\":\"" + eventId + "\"}",
                "");
        Delivery d = Delivery.pending(e, "ep-a", at);
        rig.deliveries.createIfAbsent(StoredDelivery.of(e, d, ""));
        rig.events.recordAll(List.of(EventRecord.of(e, List.of("ep-a"))));
    }

    private static List<Object> eventIds(StatusService.Response response) {
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(200);
        return ((List<?>) response.body().get("events")).stream().map(e -> ((Map<?, ?>) e).get("eventId"))
                .map(Object.class::cast).toList();
    }

    private static Map<?, ?> first(StatusService.Response response, String list) {
        return (Map<?, ?>) ((List<?>) response.body().get(list)).getFirst();
    }
}
