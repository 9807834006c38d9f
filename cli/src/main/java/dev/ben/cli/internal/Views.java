package dev.ben.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CLI's views (JSON-ready maps) of the management API's resources: the keys the CLI has always printed, so
 * scripts reading {@code -o json} keep working. Secrets: the API returns one only when it creates or rotates it;
 * otherwise a view lists one redacted placeholder per secret.
 */
public final class Views {

    /** What a secret the API does not reveal looks like. */
    public static final String REDACTED = "whsec_…";

    private Views() {
    }

    public static Map<String, Object> endpoint(JsonNode e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpointId", e.path("endpointId").asText());
        m.put("url", e.path("url").asText());
        m.put("eventTypes", strings(e.path("eventTypes")));
        m.put("enabled", e.path("enabled").asBoolean());
        m.put("disabledReason", text(e, "disabledReason", ""));
        m.put("rateLimitPerSecond", e.path("rateLimitPerSecond").asInt());
        m.put("retrySchedule", text(e, "retrySchedule", "default"));
        m.put("headers", headers(e.path("headers")));
        m.put("failingSince", text(e, "failingSince", null));
        m.put("circuit", e.path("circuit").path("state").asText("CLOSED"));
        m.put("circuitRetryAt", text(e.path("circuit"), "retryAt", null));
        m.put("circuitReason", text(e.path("circuit"), "reason", null));
        m.put("secrets", secrets(e));
        m.put("tenantId", text(e, "tenantId", null));
        return m;
    }

    public static Map<String, Object> tenant(JsonNode t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenantId", t.path("tenantId").asText());
        m.put("allowedHosts", strings(t.path("allowedHosts")));
        m.put("secrets", secrets(t));
        return m;
    }

    public static Map<String, Object> delivery(JsonNode d) {
        Map<String, Object> m = new LinkedHashMap<>();
        d.properties().forEach(p -> m.put(p.getKey(), plain(p.getValue())));
        return m;
    }

    public static List<Map<String, Object>> attempts(JsonNode history) {
        List<Map<String, Object>> attempts = new ArrayList<>();
        history.forEach(a -> attempts.add(delivery(a)));
        return attempts;
    }

    /** The secret the API returned in clear (on create or rotate), else one placeholder per secret. */
    static List<String> secrets(JsonNode resource) {
        if (resource.hasNonNull("secret")) {
            List<String> shown = new ArrayList<>(Collections.nCopies(resource.path("secretCount").asInt(1) - 1,
                    REDACTED));
            shown.add(resource.get("secret").asText()); // the newest is the last, as rotation adds it
            return shown;
        }
        return Collections.nCopies(resource.path("secretCount").asInt(1), REDACTED);
    }

    public static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Map<String, String> headers(JsonNode headers) {
        Map<String, String> values = new LinkedHashMap<>();
        headers.properties().forEach(h -> values.put(h.getKey(), h.getValue().asText()));
        return values;
    }

    private static String text(JsonNode node, String field, String absent) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? absent : v.asText();
    }

    /** A JSON value as a plain Java value (strings, numbers, booleans, null; arrays and objects as they are). */
    private static Object plain(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        return v.isNumber() ? v.asDouble() : v;
    }

    public static String text(Object o) {
        return o == null ? "-" : o.toString();
    }
}
