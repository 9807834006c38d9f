package dev.ben.sender.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.ben.events.SampleEvents;
import dev.ben.sender.internal.NotifyMode;
import dev.ben.sender.internal.StatusService;
import dev.ben.sender.testing.UnitRig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusApiHandlerTest {

    private final UnitRig rig = new UnitRig();
    private final StatusApiHandler handler = new StatusApiHandler(new StatusService(rig.deliveries, rig.attempts,
            rig.events, Optional.of("t")), rig.telemetry, () -> { });

    @Test
    void handler_withTheSampleIamSignedRequests_answers() {
        rig.notifyService(NotifyMode.SAFE).process(
                SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class).getRecords());

        var events = handler.handleRequest(SampleEvents.load(SampleEvents.HTTP_STATUS_ENTITY_EVENTS,
                APIGatewayV2HTTPEvent.class), null);
        var event = handler.handleRequest(SampleEvents.load(SampleEvents.HTTP_STATUS_EVENT,
                APIGatewayV2HTTPEvent.class), null);
        var delivery = handler.handleRequest(
                SampleEvents.load(SampleEvents.HTTP_STATUS_DELIVERY, APIGatewayV2HTTPEvent.class), null);

        assertThat(events.getStatusCode()).isEqualTo(200);
        assertThat(events.getBody()).startsWith("{\"entityId\":\"ord_1001\",\"events\":[{\"eventId\":\"evt_")
                .contains("\"version\":2");
        assertThat(event.getStatusCode()).isEqualTo(404);
        assertThat(event.getBody()).contains("for tenant merchant-42");
        assertThat(delivery.getStatusCode()).isEqualTo(404);
        assertThat(delivery.getBody()).startsWith("{\"error\":\"unknown delivery dlv_6c4a1f0e2b9d4e8f");
    }

    @Test
    void handler_withoutIamOrToken_is401() {
        rig.notifyService(NotifyMode.SAFE).process(
                SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class).getRecords());
        var event = SampleEvents.load(SampleEvents.HTTP_STATUS_ENTITY_EVENTS, APIGatewayV2HTTPEvent.class);
        event.getRequestContext().setAuthorizer(null);

        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(401);
        event.setHeaders(Map.of("Authorization", "Bearer t"));
        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(200);
    }

    @Test
    void handler_withoutRawPath_rebuildsThePathFromTheRouteParameters() {
        rig.notifyService(NotifyMode.SAFE).process(
                SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class).getRecords());
        var event = SampleEvents.load(SampleEvents.HTTP_STATUS_ENTITY_EVENTS, APIGatewayV2HTTPEvent.class);
        event.setRawPath(null);

        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(200);
    }
}
