package dev.ben.cli.internal;

import dev.ben.core.model.Attempt;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Tenant;
import dev.ben.sender.internal.StoredDelivery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** JSON-ready views (maps) of the domain records. Secrets appear only when asked for. */
public final class Views {

    private Views() {
    }

    public static Map<String, Object> endpoint(Endpoint e, boolean showSecrets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpointId", e.id());
        m.put("url", e.url());
        m.put("eventTypes", List.copyOf(new TreeSet<>(e.eventTypes())));
        m.put("enabled", e.enabled());
        m.put("disabledReason", e.disabledReason());
        m.put("rateLimitPerSecond", e.rateLimitPerSecond());
        m.put("retrySchedule", e.retrySchedule() == null ? "default" : e.retrySchedule().spec());
        m.put("failingSince", time(e.firstFailureAt()));
        m.put("circuit", e.circuit().state().name());
        m.put("circuitRetryAt", time(e.circuit().retryAt()));
        m.put("circuitReason", e.circuit().reason().isEmpty() ? null : e.circuit().reason());
        m.put("secrets", showSecrets ? e.secrets() : e.secrets().stream().map(Views::redact).toList());
        m.put("tenantId", e.tenantId().isEmpty() ? null : e.tenantId());
        return m;
    }

    public static Map<String, Object> tenant(Tenant t, boolean showSecrets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenantId", t.id());
        m.put("allowedHosts", t.allowedHosts());
        m.put("secrets", showSecrets ? t.secrets() : t.secrets().stream().map(Views::redact).toList());
        return m;
    }

    /** {@code whsec_abcd…} — enough to tell two secrets apart, not enough to use one. */
    public static String redact(String secret) {
        return secret.length() <= 10 ? "whsec_…" : secret.substring(0, 10) + "…";
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

    public static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    public static String text(Object o) {
        return o == null ? "-" : o.toString();
    }
}
