package dev.ben.admin.internal;

import dev.ben.core.model.Attempt;
import dev.ben.core.model.Circuit;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Tenant;
import dev.ben.sender.internal.StoredDelivery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON views of the API's resources (schemas Tenant, Endpoint, Delivery, Attempt of docs/api/openapi.yaml).
 * Secrets are never in a view: only their count (the create and rotate answers add the new one themselves).
 */
public final class ApiViews {

    private ApiViews() {
    }

    public static Map<String, Object> tenant(Tenant t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenantId", t.id());
        m.put("allowedHosts", t.allowedHosts());
        m.put("secretCount", t.secrets().size());
        return m;
    }

    /** A tenant view with a secret shown this once (create, rotate). */
    public static Map<String, Object> tenantWithSecret(Tenant t, String secret) {
        Map<String, Object> m = tenant(t);
        m.put("secret", secret);
        return m;
    }

    public static Map<String, Object> endpoint(Endpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpointId", e.id());
        m.put("tenantId", e.tenantId().isEmpty() ? null : e.tenantId());
        m.put("url", e.url());
        m.put("eventTypes", List.copyOf(new TreeSet<>(e.eventTypes())));
        m.put("enabled", e.enabled());
        m.put("disabledReason", e.disabledReason().isEmpty() ? null : e.disabledReason());
        m.put("rateLimitPerSecond", e.rateLimitPerSecond());
        m.put("retrySchedule", e.retrySchedule() == null ? null : e.retrySchedule().spec());
        m.put("headers", new TreeMap<>(e.headers()));
        m.put("failingSince", time(e.firstFailureAt()));
        m.put("circuit", circuit(e.circuit()));
        m.put("secretCount", e.secrets().size());
        return m;
    }

    /** An endpoint view with a secret shown this once (create, rotate). */
    public static Map<String, Object> endpointWithSecret(Endpoint e, String secret) {
        Map<String, Object> m = endpoint(e);
        m.put("secret", secret);
        return m;
    }

    private static Map<String, Object> circuit(Circuit c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", c.state().name());
        m.put("retryAt", time(c.retryAt()));
        m.put("reason", c.reason().isEmpty() ? null : c.reason());
        return m;
    }

    public static Map<String, Object> delivery(StoredDelivery stored) {
        Delivery d = stored.delivery();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deliveryId", d.id());
        m.put("eventId", d.eventId());
        m.put("eventType", stored.eventType());
        m.put("endpointId", d.endpointId());
        m.put("entityId", d.entityId());
        m.put("tenantId", d.tenantId().isEmpty() ? null : d.tenantId());
        if (!stored.url().isEmpty()) {
            m.put("url", stored.url());
        }
        m.put("status", d.status().name());
        m.put("attempts", d.attempts());
        m.put("nextAttemptAt", time(d.nextAttemptAt()));
        m.put("lastStatusCode", d.lastStatusCode());
        m.put("lastError", d.lastError());
        m.put("createdAt", time(d.createdAt()));
        m.put("updatedAt", time(d.updatedAt()));
        m.put("payloadStored", stored.payload() != null);
        return m;
    }

    public static Map<String, Object> attempt(Attempt a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", a.number());
        m.put("at", time(a.at()));
        m.put("statusCode", a.statusCode());
        m.put("latencyMs", a.latency().toMillis());
        m.put("error", a.error());
        return m;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
