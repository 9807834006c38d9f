package dev.ben.sender.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.ben.events.SampleEvents;
import dev.ben.core.observability.Json;
import dev.ben.sender.internal.StatusService;
import dev.ben.sender.testing.UnitRig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusApiHandlerTest {

    private final UnitRig rig = new UnitRig();
    private final StatusApiHandler handler = new StatusApiHandler(new StatusService(
            id -> Optional.of(Map.of("orderId", id, "status", "PAID", "version", new Json.RawNumber("2"))),
            rig.deliveries, rig.attempts, Optional.of("t")), rig.telemetry, () -> { });

    @Test
    void handler_withTheSampleIamSignedRequests_answers() {
        var order = handler.handleRequest(SampleEvents.load(SampleEvents.HTTP_STATUS_ORDER, APIGatewayV2HTTPEvent.class),
                null);
        var delivery = handler.handleRequest(
                SampleEvents.load(SampleEvents.HTTP_STATUS_DELIVERY, APIGatewayV2HTTPEvent.class), null);

        assertThat(order.getStatusCode()).isEqualTo(200);
        assertThat(order.getBody()).startsWith("{\"orderId\":\"ord_1001\",\"status\":\"PAID\",\"version\":2");
        assertThat(delivery.getStatusCode()).isEqualTo(404);
        assertThat(delivery.getBody()).isEqualTo("{\"error\":\"unknown delivery dlv_6c4a1f0e2b9d4e8f\"}");
    }

    @Test
    void handler_withoutIamOrToken_is401() {
        var event = SampleEvents.load(SampleEvents.HTTP_STATUS_ORDER, APIGatewayV2HTTPEvent.class);
        event.getRequestContext().setAuthorizer(null);

        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(401);
        event.setHeaders(Map.of("Authorization", "Bearer t"));
        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(200);
    }
}
