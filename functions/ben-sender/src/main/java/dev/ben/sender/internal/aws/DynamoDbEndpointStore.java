package dev.ben.sender.internal.aws;

import static dev.ben.sender.internal.aws.Items.bool;
import static dev.ben.sender.internal.aws.Items.instant;
import static dev.ben.sender.internal.aws.Items.num;
import static dev.ben.sender.internal.aws.Items.s;
import static dev.ben.sender.internal.aws.Items.str;
import static dev.ben.sender.internal.aws.Items.strings;
import static dev.ben.sender.internal.aws.Items.t;

import dev.ben.core.model.Circuit;
import dev.ben.core.model.Endpoint;
import dev.ben.core.retry.RetrySchedule;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.sender.internal.EndpointStore;
import dev.ben.sender.internal.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Endpoints in table {@code ben-endpoints}: endpointId, url, eventTypes (SS or L), secrets (SS or L of
 * {@code whsec_...}), enabled (BOOL, default true), disabledReason, rateLimitPerSecond (N), retrySchedule
 * ("15s,1m,..."), firstFailureAt, tenantId (absent = tenant-less), headers (M of S, custom headers). The subscription list is cached for a short time (a scan per batch would not
 * scale; {@link #find} is served from it too while fresh); malformed rows are reported and skipped, never
 * silently.
 */
public final class DynamoDbEndpointStore implements EndpointStore {

    /** Attribute of the custom headers sent with every delivery (M of S). */
    public static final String HEADERS = "headers";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration cacheFor;
    private final Telemetry telemetry;
    private volatile List<Endpoint> cached = List.of();
    private volatile Instant cachedAt = Instant.MIN;

    public DynamoDbEndpointStore(DynamoDbClient dynamo, String table, Clock clock, Duration cacheFor,
                                 Telemetry telemetry) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.cacheFor = cacheFor;
        this.telemetry = telemetry;
    }

    @Override
    public List<Endpoint> subscribedTo(String eventType, String tenantId) {
        return all().stream().filter(e -> e.subscribedTo(eventType, tenantId)).toList();
    }

    @Override
    public Optional<Endpoint> find(String endpointId) {
        if (!cacheFor.isZero() && cachedAt.plus(cacheFor).isAfter(clock.instant())) {
            var hit = cached.stream().filter(e -> e.id().equals(endpointId)).findFirst();
            if (hit.isPresent()) {
                return hit;
            }
        }
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("endpointId", s(endpointId)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public void disable(String endpointId, String reason, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("endpointId", s(endpointId)))
                    .updateExpression("SET enabled = :f, disabledReason = :r, disabledAt = :t")
                    .conditionExpression("attribute_exists(endpointId)")
                    .expressionAttributeValues(Map.of(":f", AttributeValue.fromBool(false), ":r", s(reason),
                            ":t", t(at))));
        } catch (ConditionalCheckFailedException deleted) {
            // the endpoint was deleted meanwhile: nothing to disable
        }
        invalidate();
    }

    @Override
    public void markFailing(String endpointId, Instant since) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("endpointId", s(endpointId)))
                    .updateExpression("SET firstFailureAt = :t")
                    .conditionExpression("attribute_exists(endpointId) AND attribute_not_exists(firstFailureAt)")
                    .expressionAttributeValues(Map.of(":t", t(since))));
        } catch (ConditionalCheckFailedException alreadyFailing) {
            // the run of failures started earlier: keep the earliest start
        }
        patchCache(endpointId, e -> e.firstFailureAt() == null ? e.withFirstFailureAt(since) : e);
    }

    @Override
    public void clearFailing(String endpointId) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("endpointId", s(endpointId)))
                    .updateExpression("REMOVE firstFailureAt").conditionExpression("attribute_exists(endpointId)"));
        } catch (ConditionalCheckFailedException deleted) {
            // deleted meanwhile
        }
        patchCache(endpointId, e -> e.withFirstFailureAt(null));
    }

    /** A consistent scan of the table, or the cached one while fresh (the subscription lookups share it). */
    @Override
    public List<Endpoint> all() {
        Instant now = clock.instant();
        if (cachedAt.plus(cacheFor).isAfter(now)) {
            return cached;
        }
        List<Endpoint> endpoints = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var from = start;
            var page = dynamo.scan(b -> {
                b.tableName(table).consistentRead(true);
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            for (var item : page.items()) {
                try {
                    endpoints.add(fromItem(item));
                } catch (RuntimeException malformed) {
                    telemetry.error("endpoint skipped: malformed row in " + table, Map.of(
                            "endpointId", String.valueOf(str(item, "endpointId")), "reason",
                            String.valueOf(malformed.getMessage())));
                    telemetry.metric("malformedEndpoints", 1);
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        cached = List.copyOf(endpoints);
        cachedAt = now;
        return cached;
    }

    /**
     * Applies a health change to the cached copy too, so that the many deliveries to one failing endpoint do not
     * each write {@code firstFailureAt} again while the cache is fresh (one write per endpoint per window).
     */
    private synchronized void patchCache(String endpointId, UnaryOperator<Endpoint> change) {
        cached = cached.stream().map(e -> e.id().equals(endpointId) ? change.apply(e) : e).toList();
    }

    /** Applies a change another adapter wrote (the circuit state) to the cached copy. */
    public void patch(String endpointId, UnaryOperator<Endpoint> change) {
        patchCache(endpointId, change);
    }

    /** Re-reads one endpoint into the cache (after a conditional write found it changed by someone else). */
    public void reload(String endpointId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("endpointId", s(endpointId)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return;
        }
        try {
            Endpoint fresh = fromItem(item);
            patchCache(endpointId, e -> fresh);
        } catch (RuntimeException malformed) {
            invalidate();
        }
    }

    private void invalidate() {
        cachedAt = Instant.MIN;
    }

    /** @throws IllegalArgumentException naming what is wrong with the row */
    public static Endpoint fromItem(Map<String, AttributeValue> item) {
        String schedule = str(item, "retrySchedule");
        return new Endpoint(str(item, "endpointId"), str(item, "url"), new HashSet<>(strings(item, "eventTypes")),
                strings(item, "secrets"), bool(item, "enabled", true), str(item, "disabledReason", ""),
                num(item, "rateLimitPerSecond"),
                schedule == null || schedule.isBlank() ? null : RetrySchedule.parse(schedule),
                instant(item, "firstFailureAt"), str(item, "tenantId", ""), circuit(item), headers(item));
    }

    /** The custom headers (a map of strings); absent = none. */
    private static Map<String, String> headers(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(HEADERS);
        if (value == null || value.nul() != null && value.nul()) {
            return Map.of();
        }
        if (!value.hasM()) {
            throw new IllegalArgumentException("attribute " + HEADERS + " must be a map of strings");
        }
        Map<String, String> headers = new TreeMap<>();
        value.m().forEach((name, v) -> {
            if (v.s() == null) {
                throw new IllegalArgumentException("header " + name + " in " + HEADERS + " is not a string");
            }
            headers.put(name, v.s());
        });
        return headers;
    }

    /** The attribute value of custom headers (a map of strings). */
    public static AttributeValue headersValue(Map<String, String> headers) {
        Map<String, AttributeValue> m = new TreeMap<>();
        headers.forEach((name, value) -> m.put(name, s(value)));
        return AttributeValue.fromM(m);
    }

    /** The circuit breaker's attributes ({@link DynamoDbEndpointState}); absent = closed. */
    private static Circuit circuit(Map<String, AttributeValue> item) {
        String state = str(item, "circuitState");
        if (state == null || state.isBlank()) {
            return Circuit.CLOSED;
        }
        return new Circuit(Circuit.State.valueOf(state), instant(item, "circuitRetryAt"), num(item,
                "circuitFailedProbes"), instant(item, "circuitChangedAt"), str(item, "circuitReason", ""));
    }

    /**
     * Refuses secrets a sender could not sign with (not {@code whsec_} + standard base64), naming the endpoint; the
     * store writes only endpoints that can be delivered to.
     *
     * @throws IllegalArgumentException for the first malformed secret (its text is never part of the message)
     */
    public static void validateSecrets(Endpoint e) {
        for (String secret : e.secrets()) {
            try {
                WebhookSecret.parse(secret);
            } catch (RuntimeException bad) {
                throw new IllegalArgumentException("endpoint " + e.id() + ": " + bad.getMessage(), bad);
            }
        }
    }

    /** The item for an endpoint (used by tests, the demo and the CLI to register endpoints). */
    public static Map<String, AttributeValue> toItem(Endpoint e) {
        validateSecrets(e);
        var item = new java.util.HashMap<String, AttributeValue>();
        item.put("endpointId", s(e.id()));
        item.put("url", s(e.url()));
        item.put("eventTypes", AttributeValue.fromSs(List.copyOf(e.eventTypes())));
        item.put("secrets", AttributeValue.fromL(e.secrets().stream().map(Items::s).toList()));
        item.put("enabled", AttributeValue.fromBool(e.enabled()));
        if (!e.disabledReason().isEmpty()) {
            item.put("disabledReason", s(e.disabledReason()));
        }
        if (e.rateLimitPerSecond() > 0) {
            item.put("rateLimitPerSecond", Items.n(e.rateLimitPerSecond()));
        }
        if (e.retrySchedule() != null) {
            item.put("retrySchedule", s(e.retrySchedule().spec()));
        }
        if (e.firstFailureAt() != null) {
            item.put("firstFailureAt", t(e.firstFailureAt()));
        }
        if (!e.tenantId().isEmpty()) {
            item.put("tenantId", s(e.tenantId()));
        }
        if (!e.headers().isEmpty()) {
            item.put(HEADERS, headersValue(e.headers()));
        }
        return item;
    }
}
