package dev.ben.examples.invoices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ben.receiver.kit.WebhookHandler;
import dev.ben.receiver.kit.WebhookMessage;
import dev.ben.receiver.kit.WebhookResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * B's processing of one {@code invoice.paid}: credits {@code data.points} to {@code data.customerId} and marks the
 * invoice credited. The webhook and reconcile both run it, through the same idempotent executor, so it runs once per
 * event. Other event types are acknowledged and ignored; a malformed payload is a 400 (not stored by the kit's
 * default policy, so a corrected handler gets another chance on the sender's next retry).
 */
public final class PointsWebhook implements WebhookHandler {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final PointsLedger ledger;
    private final Clock clock;

    public PointsWebhook(PointsLedger ledger, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public WebhookResponse handle(WebhookMessage message) {
        JsonNode payload;
        try {
            payload = MAPPER.readTree(message.body());
        } catch (IOException e) {
            return error("body is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            return error("body must be a JSON object");
        }
        String type = payload.path("type").asText("");
        if (!InvoicesExample.INVOICE_PAID.equals(type)) {
            return WebhookResponse.ok(json(Map.of("ignored", true, "type", type)));
        }
        JsonNode data = payload.path("data");
        String invoiceId = data.path("invoiceId").asText("");
        String customerId = data.path("customerId").asText("");
        JsonNode points = data.path("points");
        JsonNode version = data.path("version");
        if (invoiceId.isBlank() || customerId.isBlank() || !points.isIntegralNumber() || points.asLong() < 0
                || !version.isIntegralNumber()) {
            return error(InvoicesExample.INVOICE_PAID + " needs data.invoiceId, data.customerId (strings) and"
                    + " data.points, data.version (integers >= 0)");
        }
        ledger.credit(invoiceId, customerId, points.asLong(), version.asLong(), clock.instant());
        return WebhookResponse.ok(json(Map.of("invoiceId", invoiceId, "customerId", customerId,
                "credited", points.asLong())));
    }

    private static WebhookResponse error(String message) {
        return WebhookResponse.json(400, json(Map.of("error", "malformed_payload", "message", message)));
    }

    static String json(Map<String, Object> value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
