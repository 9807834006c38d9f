package dev.ben.examples.orders.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.RecordingOrderStore;
import dev.ben.receiver.kit.WebhookMessage;
import dev.ben.receiver.kit.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OrderPaidWebhookTest {

    private final RecordingOrderStore store = new RecordingOrderStore();
    private final OrderPaidWebhook webhook = new OrderPaidWebhook(store);

    private WebhookResponse deliver(String body) {
        return webhook.handle(new WebhookMessage("evt_1", Instant.parse("2026-11-29T23:00:00Z"),
                body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void orderPaid_appliesStatusAndVersion() {
        WebhookResponse response = deliver("{\"type\":\"order.paid\",\"id\":\"evt_1\",\"timestamp\":\"2026-11-29T22:59:59Z\","
                + "\"data\":{\"orderId\":\"o-1\",\"status\":\"PAID\",\"version\":3,\"amount\":12.5,\"currency\":\"EUR\"}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"result\":\"applied\"");
        assertThat(store.orders.get("o-1")).isEqualTo(new OrderState("o-1", "PAID", 3, "2026-11-29T22:59:59Z"));
    }

    @Test
    void orderPaid_olderVersionThanStored_isStaleAndChangesNothing() {
        store.orders.put("o-1", new OrderState("o-1", "SHIPPED", 5, "2026-11-29T22:00:00Z"));

        WebhookResponse response = deliver("{\"type\":\"order.paid\",\"data\":{\"orderId\":\"o-1\",\"status\":\"PAID\",\"version\":3}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"result\":\"stale\"");
        assertThat(store.orders.get("o-1").status()).isEqualTo("SHIPPED");
    }

    @Test
    void otherEventType_acknowledgedAndIgnored() {
        WebhookResponse response = deliver("{\"type\":\"order.refunded\",\"data\":{\"orderId\":\"o-1\",\"version\":3}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"ignored\":true");
        assertThat(store.applies).isEmpty();
    }

    @Test
    void malformedPayloads_get400WithReasonAndNoApply() {
        for (String body : new String[] {"not json", "[1,2]", "{\"type\":\"order.paid\",\"data\":{\"version\":3}}",
                "{\"type\":\"order.paid\",\"data\":{\"orderId\":\"o-1\",\"version\":\"3\"}}",
                "{\"type\":\"order.paid\",\"data\":{\"orderId\":\"o-1\",\"version\":-1}}",
                "{\"type\":\"order.paid\",\"data\":{\"orderId\":\"o-1\",\"version\":1.5}}"}) {
            WebhookResponse response = deliver(body);

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).contains("malformed_payload");
        }
        assertThat(store.applies).isEmpty();
    }
}
