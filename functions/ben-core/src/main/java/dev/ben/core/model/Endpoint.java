package dev.ben.core.model;

import dev.ben.core.retry.RetrySchedule;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A subscription: where to POST which event types, and how to sign them.
 *
 * <p>{@link #toString()} never prints the secrets.
 *
 * @param id                 endpoint id
 * @param url                target URL (validated again before every attempt by the egress guard)
 * @param eventTypes         subscribed types; {@code "*"} subscribes to all
 * @param secrets            1–2 signing secrets {@code whsec_…}; two during rotation (each request carries both
 *                           signatures)
 * @param enabled            false once disabled (410 Gone, auto-disable, operator)
 * @param disabledReason     why it was disabled; empty when enabled
 * @param rateLimitPerSecond max deliveries per second, 0 = unlimited
 * @param retrySchedule      per-endpoint schedule, {@code null} = the global one (see {@link #scheduleOr})
 * @param firstFailureAt     start of the current run of only failures, {@code null} when the last attempt
 *                           succeeded (drives auto-disable)
 * @param tenantId           the tenant it belongs to, "" for none. An endpoint of tenant T receives only events of
 *                           tenant T; a tenant-less endpoint only events of rules without a tenant (see
 *                           {@link #receives})
 * @param circuit            its circuit breaker (shared by every invocation); {@link Circuit#CLOSED} when never opened
 * @param headers            its own headers, sent with every delivery (never replacing Ben's: see
 *                           {@code dev.ben.core.http.CustomHeaders}); empty for none
 */
public record Endpoint(String id, String url, Set<String> eventTypes, List<String> secrets, boolean enabled,
                       String disabledReason, int rateLimitPerSecond, RetrySchedule retrySchedule,
                       Instant firstFailureAt, String tenantId, Circuit circuit, Map<String, String> headers) {

    public static final String ALL_EVENT_TYPES = "*";
    public static final String SECRET_PREFIX = "whsec_";

    public Endpoint {
        Event.requireText(id, "id");
        Event.requireText(url, "url");
        eventTypes = Set.copyOf(Objects.requireNonNull(eventTypes, "eventTypes"));
        secrets = List.copyOf(Objects.requireNonNull(secrets, "secrets"));
        if (secrets.isEmpty() || secrets.size() > 2) {
            throw new IllegalArgumentException("endpoint " + id + " needs 1 or 2 signing secrets, got "
                    + secrets.size());
        }
        for (String s : secrets) {
            if (!s.startsWith(SECRET_PREFIX) || s.length() <= SECRET_PREFIX.length()) {
                throw new IllegalArgumentException("endpoint " + id + ": signing secrets must look like "
                        + SECRET_PREFIX + "<base64>");
            }
        }
        disabledReason = disabledReason == null ? "" : disabledReason;
        circuit = circuit == null ? Circuit.CLOSED : circuit;
        tenantId = tenantId == null ? "" : tenantId;
        if (!tenantId.isEmpty() && !Tenant.validId(tenantId)) {
            throw new IllegalArgumentException("endpoint " + id + ": tenant id '" + tenantId + "' is not valid: "
                    + Tenant.ID_RULE);
        }
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        if (rateLimitPerSecond < 0) {
            throw new IllegalArgumentException("rateLimitPerSecond must be >= 0 (0 = unlimited), got "
                    + rateLimitPerSecond);
        }
    }

    /** An endpoint without custom headers. */
    public Endpoint(String id, String url, Set<String> eventTypes, List<String> secrets, boolean enabled,
                    String disabledReason, int rateLimitPerSecond, RetrySchedule retrySchedule, Instant firstFailureAt,
                    String tenantId, Circuit circuit) {
        this(id, url, eventTypes, secrets, enabled, disabledReason, rateLimitPerSecond, retrySchedule, firstFailureAt,
                tenantId, circuit, Map.of());
    }

    /** An endpoint whose circuit is closed. */
    public Endpoint(String id, String url, Set<String> eventTypes, List<String> secrets, boolean enabled,
                    String disabledReason, int rateLimitPerSecond, RetrySchedule retrySchedule, Instant firstFailureAt,
                    String tenantId) {
        this(id, url, eventTypes, secrets, enabled, disabledReason, rateLimitPerSecond, retrySchedule, firstFailureAt,
                tenantId, Circuit.CLOSED);
    }

    /** An enabled endpoint with the global schedule and no rate limit. */
    public static Endpoint of(String id, String url, Set<String> eventTypes, List<String> secrets) {
        return new Endpoint(id, url, eventTypes, secrets, true, "", 0, null, null, "");
    }

    public boolean subscribes(String eventType) {
        return eventTypes.contains(ALL_EVENT_TYPES) || eventTypes.contains(eventType);
    }

    /**
     * Whether events of this type and tenant are meant for this endpoint, enabled or not (a disabled one's become
     * CANCELLED deliveries, recoverable once it is enabled again).
     */
    public boolean subscribedTo(String eventType, String eventTenantId) {
        return subscribes(eventType) && tenantId.equals(eventTenantId == null ? "" : eventTenantId);
    }

    /**
     * Whether an event of this type and tenant goes to this endpoint: it is enabled, subscribes to the type (exact
     * match, or {@code *}) and belongs to the event's tenant — a tenant-less event ({@code ""}) only to tenant-less
     * endpoints, a tenant's event only to that tenant's endpoints. Never another tenant's events.
     */
    public boolean receives(String eventType, String eventTenantId) {
        return enabled && subscribedTo(eventType, eventTenantId);
    }

    public Endpoint withTenant(String tenant) {
        return new Endpoint(id, url, eventTypes, secrets, enabled, disabledReason, rateLimitPerSecond, retrySchedule,
                firstFailureAt, tenant, circuit, headers);
    }

    /** This endpoint's schedule, or {@code global} when it has none. */
    public RetrySchedule scheduleOr(RetrySchedule global) {
        return retrySchedule != null ? retrySchedule : global;
    }

    public Endpoint disabled(String reason) {
        return new Endpoint(id, url, eventTypes, secrets, false, reason, rateLimitPerSecond, retrySchedule,
                firstFailureAt, tenantId, circuit, headers);
    }

    public Endpoint withFirstFailureAt(Instant at) {
        return new Endpoint(id, url, eventTypes, secrets, enabled, disabledReason, rateLimitPerSecond,
                retrySchedule, at, tenantId, circuit, headers);
    }

    public Endpoint withHeaders(Map<String, String> next) {
        return new Endpoint(id, url, eventTypes, secrets, enabled, disabledReason, rateLimitPerSecond,
                retrySchedule, firstFailureAt, tenantId, circuit, next);
    }

    public Endpoint withCircuit(Circuit next) {
        return new Endpoint(id, url, eventTypes, secrets, enabled, disabledReason, rateLimitPerSecond,
                retrySchedule, firstFailureAt, tenantId, next, headers);
    }

    @Override
    public String toString() {
        return "Endpoint[id=" + id + ", url=" + url + ", eventTypes=" + eventTypes + ", secrets=<"
                + secrets.size() + " redacted>, enabled=" + enabled + ", disabledReason=" + disabledReason
                + ", rateLimitPerSecond=" + rateLimitPerSecond + ", retrySchedule="
                + (retrySchedule == null ? "global" : retrySchedule.spec()) + ", firstFailureAt=" + firstFailureAt
                + (tenantId.isEmpty() ? "" : ", tenantId=" + tenantId) + ", circuit=" + circuit.state()
                + (headers.isEmpty() ? "" : ", headers=" + headers.keySet()) + "]";
    }
}
