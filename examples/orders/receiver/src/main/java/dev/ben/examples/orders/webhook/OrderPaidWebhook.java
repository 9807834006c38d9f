package dev.ben.examples.orders.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.examples.orders.internal.JsonLines;
import dev.ben.examples.orders.store.ApplyOutcome;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.OrderStore;
import dev.ben.receiver.kit.WebhookHandler;
import dev.ben.receiver.kit.WebhookMessage;
import dev.ben.receiver.kit.WebhookResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * B's processing of a verified notification: {@code order.paid} → the order's new state, applied with the
 * version guard. Other event types are acknowledged and ignored; a malformed payload is a final 400 (stored, so
 * retries of the same message get the same answer).
 */
public final class OrderPaidWebhook implements WebhookHandler {

    public static final String ORDER_PAID = "order.paid";

    private final OrderStore orders;

    public OrderPaidWebhook(OrderStore orders) {
        this.orders = Objects.requireNonNull(orders, "orders");
    }

    @Override
    public WebhookResponse handle(WebhookMessage message) {
        JsonNode payload;
        try {
            payload = JsonLines.MAPPER.readTree(message.body());
        } catch (IOException e) {
            return error("malformed_payload", "body is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            return error("malformed_payload", "body must be a JSON object");
        }
        String type = payload.path("type").asText("");
        if (!ORDER_PAID.equals(type)) {
            return WebhookResponse.ok(json(Map.of("ignored", true, "type", type)));
        }
        JsonNode data = payload.path("data");
        String orderId = data.path("orderId").asText("");
        JsonNode version = data.path("version");
        String status = data.path("status").asText("PAID");
        if (orderId.isBlank() || !version.canConvertToLong() || !version.isIntegralNumber() || version.asLong() < 0) {
            return error("malformed_payload", "order.paid needs data.orderId (string) and data.version (integer >= 0)");
        }
        String updatedAt = data.path("updatedAt").asText(payload.path("timestamp").asText(message.timestamp().toString()));
        ApplyOutcome outcome = orders.apply(new OrderState(orderId, status, version.asLong(), updatedAt));
        return WebhookResponse.ok(json(Map.of("orderId", orderId, "version", version.asLong(),
                "result", outcome.name().toLowerCase(java.util.Locale.ROOT))));
    }

    private static WebhookResponse error(String code, String message) {
        return WebhookResponse.json(400, json(Map.of("error", code, "message", message)));
    }

    private static String json(Map<String, Object> value) {
        try {
            return JsonLines.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
