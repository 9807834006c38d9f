package dev.ben.sender.internal;

import dev.ben.core.model.Attempt;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.Event;
import dev.ben.core.model.EventIds;
import dev.ben.core.model.Tenant;
import dev.ben.core.observability.Json;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * System A's read side, over Ben's own tables only (it never reads a source table): for B's reconciliation and
 * operators.
 *
 * <table>
 * <caption>Routes (all GET; optional query parameter {@code tenant})</caption>
 * <tr><td>{@code /entities/{entityId}/events}</td><td>the entity's events, latest first (version, else stream
 *     sequence, else time), each with its payload and deliveries</td></tr>
 * <tr><td>{@code /events/{eventId}}</td><td>one event and its deliveries</td></tr>
 * <tr><td>{@code /deliveries/{deliveryId}}</td><td>one delivery and its attempt history</td></tr>
 * </table>
 *
 * <p>Tenant scope: {@code ?tenant=T} sees only tenant T's events and deliveries; without it, only tenant-less ones
 * (events of rules without a tenant attribute). Anything out of scope answers 404, exactly like an unknown id, so
 * another tenant's ids are not even confirmed to exist. The scope is a filter, not an authentication: whoever may
 * call the API (IAM in AWS, the bearer token locally) may name any tenant.
 */
public final class StatusService {

    private static final Pattern DELIVERY_ID = Pattern.compile("dlv_[A-Za-z0-9_-]{10,64}");
    private static final Pattern EVENT_ID = Pattern.compile("evt_[A-Za-z0-9_-]{10,64}");
    /** DynamoDB's limit for a GSI partition key value (entityId keys the byEntity index). */
    private static final int MAX_ENTITY_ID_BYTES = 2048;
    private static final int MAX_DELIVERIES = 200;
    private static final String ROUTES =
            "GET /entities/{entityId}/events, GET /events/{eventId} or GET /deliveries/{deliveryId}";

    private final DeliveryStore deliveries;
    private final AttemptLog attempts;
    private final EventLog events;
    private final Optional<String> token;

    public StatusService(DeliveryStore deliveries, AttemptLog attempts, EventLog events, Optional<String> token) {
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.events = events;
        this.token = token;
    }

    /** An HTTP answer: status code and JSON body. */
    public record Response(int status, Map<String, Object> body) {
        static Response error(int status, String message) {
            return new Response(status, Map.of("error", message));
        }
    }

    /**
     * @param rawPath       the request path, percent-encoded as sent
     * @param query         query parameters (decoded); only {@code tenant} is read
     * @param iamCaller     true when API Gateway's IAM authorizer already authenticated the caller
     * @param authorization the Authorization header, null when absent
     */
    public Response handle(String method, String rawPath, Map<String, String> query, boolean iamCaller,
                           String authorization) {
        if (!iamCaller && !bearerMatches(authorization)) {
            return Response.error(401, token.isEmpty()
                    ? "status API token is not configured (BEN_STATUS_API_TOKEN) and the request is not IAM-signed"
                    : "missing or invalid 'Authorization: Bearer <token>'");
        }
        if (!"GET".equalsIgnoreCase(method)) {
            return Response.error(405, "only GET is supported");
        }
        String tenant = query == null ? "" : query.getOrDefault("tenant", "").trim();
        if (!tenant.isEmpty() && !Tenant.validId(tenant)) {
            return Response.error(400, "malformed tenant: expected " + Tenant.ID_RULE);
        }
        List<String> segments;
        try {
            segments = segments(rawPath == null ? "" : rawPath);
        } catch (IllegalArgumentException e) {
            return Response.error(400, "malformed path: " + e.getMessage());
        }
        if (segments.size() == 3 && segments.get(0).equals("entities") && segments.get(2).equals("events")) {
            return entityEvents(segments.get(1), tenant);
        }
        if (segments.size() == 2 && segments.get(0).equals("events")) {
            return event(segments.get(1), tenant);
        }
        if (segments.size() == 2 && segments.get(0).equals("deliveries")) {
            return delivery(segments.get(1), tenant);
        }
        return Response.error(404, "no such route: use " + ROUTES);
    }

    private Response entityEvents(String entityId, String tenant) {
        if (entityId.isEmpty() || entityId.getBytes(StandardCharsets.UTF_8).length > MAX_ENTITY_ID_BYTES
                || entityId.chars().anyMatch(c -> c < 0x20)) {
            return Response.error(400, "malformed entity id: expected 1-" + MAX_ENTITY_ID_BYTES + " bytes without"
                    + " control characters, percent-encoded in the path (composite keys: partition|sort)");
        }
        Map<String, List<StoredDelivery>> byEvent = new LinkedHashMap<>();
        for (StoredDelivery d : deliveries.byEntity(entityId, MAX_DELIVERIES)) {
            if (inScope(d.delivery().tenantId(), tenant)) {
                byEvent.computeIfAbsent(d.delivery().eventId(), k -> new ArrayList<>()).add(d);
            }
        }
        if (byEvent.isEmpty()) {
            return Response.error(404, "no events of entity " + entityId + scopeText(tenant));
        }
        List<List<StoredDelivery>> groups = new ArrayList<>(byEvent.values());
        groups.sort(LATEST_FIRST);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entityId", entityId);
        if (!tenant.isEmpty()) {
            body.put("tenantId", tenant);
        }
        body.put("events", groups.stream().map(g -> eventView(g.getFirst(), g)).toList());
        return new Response(200, body);
    }

    private Response event(String eventId, String tenant) {
        if (!EVENT_ID.matcher(eventId).matches()) {
            return Response.error(400, "malformed event id: expected evt_ followed by 10-64 of [A-Za-z0-9_-]");
        }
        Optional<EventRecord> found = events.find(eventId);
        if (found.isEmpty() || !inScope(found.get().tenantId(), tenant)) {
            return Response.error(404, "unknown event " + eventId + scopeText(tenant));
        }
        EventRecord e = found.get();
        List<String> ids = e.endpointIds().stream().map(ep -> EventIds.deliveryId(eventId, ep)).toList();
        List<StoredDelivery> rows = new ArrayList<>(ids.isEmpty() ? List.of() : deliveries.findAll(ids).values());
        rows.sort(Comparator.comparing(d -> d.delivery().createdAt()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", e.eventId());
        body.put("type", e.type());
        body.put("source", e.source());
        body.put("entityId", e.entityId());
        putOrdering(body, e.tenantId(), e.version(), e.sequence());
        body.put("occurredAt", e.occurredAt() == null ? null : e.occurredAt().toString());
        rows.stream().map(StoredDelivery::payload).filter(p -> p != null && !p.isBlank()).findFirst()
                .ifPresent(p -> body.put("payload", new Json.RawJson(p)));
        body.put("deliveries", rows.stream().map(StatusService::deliverySummary).toList());
        if (!e.note().isEmpty()) {
            body.put("note", e.note()); // e.g. nobody subscribes to it: the event was kept, not silently dropped
        }
        return new Response(200, body);
    }

    private Response delivery(String deliveryId, String tenant) {
        if (!DELIVERY_ID.matcher(deliveryId).matches()) {
            return Response.error(400, "malformed delivery id: expected dlv_ followed by 10-64 of [A-Za-z0-9_-]");
        }
        Optional<StoredDelivery> found = deliveries.find(deliveryId);
        if (found.isEmpty() || !inScope(found.get().delivery().tenantId(), tenant)) {
            return Response.error(404, "unknown delivery " + deliveryId + scopeText(tenant));
        }
        StoredDelivery s = found.get();
        Delivery d = s.delivery();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deliveryId", d.id());
        body.put("eventId", d.eventId());
        body.put("eventType", s.eventType());
        body.put("endpointId", d.endpointId());
        if (!s.url().isEmpty()) {
            body.put("url", s.url());
        }
        body.put("entityId", d.entityId());
        putOrdering(body, d.tenantId(), s.version(), s.sequence());
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

    /** One event of an entity, from its delivery rows (they all carry the event's facts). */
    private static Map<String, Object> eventView(StoredDelivery first, List<StoredDelivery> group) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", first.delivery().eventId());
        e.put("type", first.eventType());
        e.put("entityId", first.delivery().entityId());
        putOrdering(e, first.delivery().tenantId(), first.version(), first.sequence());
        e.put("createdAt", group.stream().map(d -> d.delivery().createdAt()).min(Instant::compareTo)
                .map(Instant::toString).orElse(null));
        group.stream().map(StoredDelivery::payload).filter(p -> p != null && !p.isBlank()).findFirst()
                .ifPresent(p -> e.put("payload", new Json.RawJson(p)));
        e.put("deliveries", group.stream().map(StatusService::deliverySummary).toList());
        return e;
    }

    private static void putOrdering(Map<String, Object> body, String tenantId, long version, String sequence) {
        if (!tenantId.isEmpty()) {
            body.put("tenantId", tenantId);
        }
        if (version != Event.NO_VERSION) {
            body.put("version", version);
        }
        body.put("sequence", sequence);
    }

    private static Map<String, Object> deliverySummary(StoredDelivery s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("deliveryId", s.id());
        d.put("endpointId", s.delivery().endpointId());
        d.put("status", s.delivery().status().name());
        d.put("attempts", s.delivery().attempts());
        d.put("lastStatusCode", s.delivery().lastStatusCode());
        d.put("lastError", s.delivery().lastError());
        d.put("updatedAt", s.delivery().updatedAt().toString());
        return d;
    }

    /**
     * Latest first: by version when both events have one, else by stream sequence (numerically), else by creation
     * time; the event id breaks ties so the order is stable.
     */
    static final Comparator<List<StoredDelivery>> LATEST_FIRST = (a, b) -> {
        StoredDelivery x = a.getFirst();
        StoredDelivery y = b.getFirst();
        if (x.version() != Event.NO_VERSION && y.version() != Event.NO_VERSION && x.version() != y.version()) {
            return Long.compare(y.version(), x.version());
        }
        int bySequence = compareSequences(y.sequence(), x.sequence());
        if (bySequence != 0) {
            return bySequence;
        }
        int byTime = y.delivery().createdAt().compareTo(x.delivery().createdAt());
        return byTime != 0 ? byTime : x.delivery().eventId().compareTo(y.delivery().eventId());
    };

    /** Stream sequence numbers are decimal strings of 21-40 digits: compare by length, then by digits. */
    static int compareSequences(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    private static boolean inScope(String itemTenant, String requestedTenant) {
        return itemTenant.equals(requestedTenant);
    }

    private static String scopeText(String tenant) {
        return tenant.isEmpty() ? " (without ?tenant=, only tenant-less events are visible)" : " for tenant " + tenant;
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

    /** Path segments, each percent-decoded as UTF-8 ({@code +} stays a plus). */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/", -1)) {
            if (!raw.isEmpty()) {
                segments.add(percentDecode(raw));
            }
        }
        return segments;
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("incomplete percent escape");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad percent escape %" + s.charAt(i + 1) + s.charAt(i + 2));
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent escapes are not UTF-8");
        }
    }

    private boolean bearerMatches(String authorization) {
        if (token.isEmpty() || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.get().getBytes(StandardCharsets.UTF_8));
    }
}
