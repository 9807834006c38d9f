package dev.ben.sender.internal;

import dev.ben.core.model.Attempt;
import dev.ben.core.model.Delivery;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * System A's read side: {@code GET /orders/{orderId}} (the order and its deliveries) and
 * {@code GET /deliveries/{deliveryId}} (one delivery and its attempt history), for B's reconciliation and operators.
 */
public final class StatusService {

    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern DELIVERY_ID = Pattern.compile("dlv_[A-Za-z0-9_-]{10,64}");
    private static final int MAX_DELIVERIES = 100;

    private final OrderReader orders;
    private final DeliveryStore deliveries;
    private final AttemptLog attempts;
    private final Optional<String> token;

    public StatusService(OrderReader orders, DeliveryStore deliveries, AttemptLog attempts, Optional<String> token) {
        this.orders = orders;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.token = token;
    }

    /** An HTTP answer: status code and JSON body. */
    public record Response(int status, Map<String, Object> body) {
        static Response error(int status, String message) {
            return new Response(status, Map.of("error", message));
        }
    }

    /**
     * @param iamCaller     true when API Gateway's IAM authorizer already authenticated the caller
     * @param authorization the Authorization header, null when absent
     */
    public Response handle(String method, String path, boolean iamCaller, String authorization) {
        if (!iamCaller && !bearerMatches(authorization)) {
            return Response.error(401, token.isEmpty()
                    ? "status API token is not configured (BEN_STATUS_API_TOKEN) and the request is not IAM-signed"
                    : "missing or invalid 'Authorization: Bearer <token>'");
        }
        if (!"GET".equalsIgnoreCase(method)) {
            return Response.error(405, "only GET is supported");
        }
        String p = path == null ? "" : path;
        if (p.startsWith("/orders/")) {
            return order(p.substring("/orders/".length()));
        }
        if (p.startsWith("/deliveries/")) {
            return delivery(p.substring("/deliveries/".length()));
        }
        return Response.error(404, "no such route: use GET /orders/{orderId} or GET /deliveries/{deliveryId}");
    }

    private Response order(String orderId) {
        if (!ORDER_ID.matcher(orderId).matches()) {
            return Response.error(400, "malformed order id: expected 1-128 characters of [A-Za-z0-9._:-]");
        }
        Optional<Map<String, Object>> order = orders.order(orderId);
        if (order.isEmpty()) {
            return Response.error(404, "unknown order " + orderId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", orderId);
        for (String k : List.of("status", "version", "updatedAt", "amount", "currency")) {
            body.put(k, order.get().get(k));
        }
        body.put("deliveries", deliveries.byEntity(orderId, MAX_DELIVERIES).stream().map(s -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("deliveryId", s.id());
            d.put("eventId", s.delivery().eventId());
            d.put("eventType", s.eventType());
            d.put("endpointId", s.delivery().endpointId());
            d.put("status", s.delivery().status().name());
            d.put("attempts", s.delivery().attempts());
            return d;
        }).toList());
        return new Response(200, body);
    }

    private Response delivery(String deliveryId) {
        if (!DELIVERY_ID.matcher(deliveryId).matches()) {
            return Response.error(400, "malformed delivery id: expected dlv_ followed by 10-64 of [A-Za-z0-9_-]");
        }
        Optional<StoredDelivery> found = deliveries.find(deliveryId);
        if (found.isEmpty()) {
            return Response.error(404, "unknown delivery " + deliveryId);
        }
        Delivery d = found.get().delivery();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deliveryId", d.id());
        body.put("eventId", d.eventId());
        body.put("eventType", found.get().eventType());
        body.put("endpointId", d.endpointId());
        body.put("entityId", d.entityId());
        body.put("status", d.status().name());
        body.put("attempts", d.attempts());
        body.put("nextAttemptAt", d.nextAttemptAt() == null ? null : d.nextAttemptAt().toString());
        body.put("lastStatusCode", d.lastStatusCode());
        body.put("lastError", d.lastError());
        body.put("createdAt", d.createdAt().toString());
        body.put("updatedAt", d.updatedAt().toString());
        body.put("history", attempts.list(deliveryId).stream().map(StatusService::attempt).toList());
        return new Response(200, body);
    }

    private static Map<String, Object> attempt(Attempt a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", a.number());
        m.put("at", a.at().toString());
        m.put("statusCode", a.statusCode());
        m.put("latencyMs", a.latency().toMillis());
        m.put("error", a.error());
        return m;
    }

    private boolean bearerMatches(String authorization) {
        if (token.isEmpty() || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.get().getBytes(StandardCharsets.UTF_8));
    }
}
