package dev.ben.examples.orders.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ben.events.SampleEvents;
import dev.ben.examples.orders.internal.JsonLines;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.RecordingOrderStore;
import dev.ben.examples.orders.OrdersExample;
import dev.ben.examples.orders.testing.MemoryIdempotencyStore;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookReceiver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiverHandlerTest {

    private final Clock clock = Clock.fixed(SampleEvents.WEBHOOK_TIMESTAMP.plusSeconds(3), ZoneOffset.UTC);
    private final RecordingOrderStore orders = new RecordingOrderStore();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final ReceiverHandler handler = new ReceiverHandler(
            WebhookReceiver.builder().secrets(SampleEvents.RECEIVER_SECRET).clock(clock)
                    .executor(IdempotentExecutor.builder().scope(OrdersExample.SCOPE).store(new MemoryIdempotencyStore()).clock(clock).build())
                    .build(),
            new OrderPaidWebhook(orders), new JsonLines(new PrintStream(logs, true), clock, "receiver"), () -> { });

    private static APIGatewayV2HTTPEvent sample() {
        return SampleEvents.load(SampleEvents.HTTP_RECEIVER_WEBHOOK, APIGatewayV2HTTPEvent.class);
    }

    @Test
    void sampleWebhook_isVerifiedAndAppliesOrderPaid() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(sample(), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).contains("\"result\":\"applied\"");
        assertThat(orders.orders.get(SampleEvents.ORDER_ID)).extracting(OrderState::status, OrderState::version)
                .containsExactly("PAID", 2L);
        assertThat(logs.toString()).contains("\"webhookId\":\"" + SampleEvents.EVENT_ID + "\"")
                .contains("\"disposition\":\"EXECUTED\"").doesNotContain("v1,");
    }

    @Test
    void sampleWebhookDeliveredTwice_secondIsReplayedWithoutApplying() {
        handler.handleRequest(sample(), null);

        APIGatewayV2HTTPResponse again = handler.handleRequest(sample(), null);

        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(again.getHeaders()).containsEntry("idempotent-replayed", "true");
        assertThat(orders.applies).hasSize(1);
    }

    @Test
    void sampleWebhookWithAlteredBody_isRejected401() {
        APIGatewayV2HTTPEvent event = sample();
        event.setBody(event.getBody().replace("\"version\":2", "\"version\":7"));

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getBody()).contains("no_matching_signature");
        assertThat(orders.applies).isEmpty();
    }

    @Test
    void base64EncodedBody_isDecodedBeforeVerification() {
        APIGatewayV2HTTPEvent event = sample();
        event.setBody(java.util.Base64.getEncoder().encodeToString(event.getBody().getBytes()));
        event.setIsBase64Encoded(true);

        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(200);
    }

    @Test
    void otherRoute_is404AndNothingApplied() {
        APIGatewayV2HTTPEvent event = sample();
        event.setRouteKey("GET /webhooks/orders");
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        event.setHeaders(headers);

        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(404);
        assertThat(orders.applies).isEmpty();
    }

    @Test
    void beforeCheckpoint_runsThePrimingHook() throws Exception {
        java.util.concurrent.atomic.AtomicInteger primed = new java.util.concurrent.atomic.AtomicInteger();
        ReceiverHandler primable = new ReceiverHandler(
                WebhookReceiver.builder().secrets(SampleEvents.RECEIVER_SECRET)
                        .executor(IdempotentExecutor.builder().scope(OrdersExample.SCOPE).store(new MemoryIdempotencyStore()).build()).build(),
                new OrderPaidWebhook(orders), new JsonLines(new PrintStream(logs, true), clock, "receiver"),
                primed::incrementAndGet);

        primable.beforeCheckpoint(null);

        assertThat(primed).hasValue(1);
    }
}
