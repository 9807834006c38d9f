package dev.ben.sender.internal;

import dev.ben.core.observability.Json;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.ben.events.SampleEvents;
import dev.ben.sender.testing.UnitRig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusServiceTest {

    private final UnitRig rig = new UnitRig();
    private final OrderReader orders = id -> "ord_1001".equals(id)
            ? Optional.of(Map.of("orderId", id, "status", "PAID", "version", new Json.RawNumber("2"),
            "updatedAt", "2026-11-29T22:00:00Z")) : Optional.empty();
    private final StatusService service = new StatusService(orders, rig.deliveries, rig.attempts, Optional.of("s3cret"));

    @Test
    void status_withoutOrWithAWrongToken_is401_butIamCallersPass() {
        assertThat(service.handle("GET", "/orders/ord_1001", false, null).status()).isEqualTo(401);
        assertThat(service.handle("GET", "/orders/ord_1001", false, "Bearer nope").status()).isEqualTo(401);
        assertThat(service.handle("GET", "/orders/ord_1001", true, null).status()).isEqualTo(200);
        assertThat(new StatusService(orders, rig.deliveries, rig.attempts, Optional.empty())
                .handle("GET", "/orders/ord_1001", false, "Bearer s3cret").status()).isEqualTo(401);
    }

    @Test
    void status_order_listsItsDeliveries() {
        rig.notifyService(NotifyMode.SAFE).process(
                SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class).getRecords());

        var response = service.handle("GET", "/orders/ord_1001", false, "Bearer s3cret");

        assertThat(response.status()).isEqualTo(200);
        assertThat(Json.write(response.body())).startsWith("{\"orderId\":\"ord_1001\",\"status\":\"PAID\",\"version\":2,")
                .contains("\"status\":\"DELIVERED\",\"attempts\":1");
        var deliveryId = ((List<?>) response.body().get("deliveries")).isEmpty() ? ""
                : ((Map<?, ?>) ((List<?>) response.body().get("deliveries")).getFirst()).get("deliveryId");
        var delivery = service.handle("GET", "/deliveries/" + deliveryId, false, "bearer s3cret");
        assertThat(delivery.status()).isEqualTo(200);
        assertThat((List<?>) delivery.body().get("history")).hasSize(1);
    }

    @Test
    void status_badAndUnknownIds_getClear4xx() {
        assertThat(service.handle("GET", "/orders/no%20such", true, null).status()).isEqualTo(400);
        assertThat(service.handle("GET", "/orders/" + "x".repeat(200), true, null).status()).isEqualTo(400);
        assertThat(service.handle("GET", "/orders/ord_404", true, null).body()).containsEntry("error",
                "unknown order ord_404");
        assertThat(service.handle("GET", "/deliveries/evt_123", true, null).status()).isEqualTo(400);
        assertThat(service.handle("GET", "/deliveries/dlv_6c4a1f0e2b9d4e8f", true, null).status()).isEqualTo(404);
        assertThat(service.handle("POST", "/orders/ord_1001", true, null).status()).isEqualTo(405);
        assertThat(service.handle("GET", "/nope", true, null).status()).isEqualTo(404);
    }
}
