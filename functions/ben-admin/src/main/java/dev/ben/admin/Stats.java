package dev.ben.admin;

import dev.ben.core.model.DeliveryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Delivery statistics since a time, from two projected scans (read-only, the sender's attribute names): the
 * deliveries table (counts by status, end-to-end latency of delivered ones, failures per endpoint) and the attempt
 * log (attempt latency p50/p99, failed attempts per endpoint). Cost: one read of each table's items in the window.
 */
public final class Stats {

    private final DynamoDbClient dynamo;
    private final String deliveriesTable;
    private final String attemptsTable;

    public Stats(DynamoDbClient dynamo, String deliveriesTable, String attemptsTable) {
        this.dynamo = dynamo;
        this.deliveriesTable = deliveriesTable;
        this.attemptsTable = attemptsTable;
    }

    private static final class EndpointTally {
        final String endpointId;
        int deliveries;
        int delivered;
        int failed;
        int retrying;
        int failedAttempts;
        int attempts;
        String lastError = "";
        String lastErrorAt = "";

        EndpointTally(String endpointId) {
            this.endpointId = endpointId;
        }
    }

    public Map<String, Object> compute(Instant since, int top) {
        return compute(since, top, null);
    }

    /**
     * @param tenantId one tenant's deliveries ("" those without a tenant), null for all; the attempt log carries no
     *                 tenant, so a tenant's attempts are those of its deliveries in the window
     */
    public Map<String, Object> compute(Instant since, int top, String tenantId) {
        String from = Times.stored(since);
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        for (DeliveryStatus s : DeliveryStatus.values()) {
            byStatus.put(s.name(), 0);
        }
        Map<String, String> endpointOf = new HashMap<>();
        Map<String, EndpointTally> endpoints = new HashMap<>();
        List<Long> endToEnd = new ArrayList<>();
        scan(deliveriesTable, "deliveryId, endpointId, #s, createdAt, updatedAt, lastError, tenantId",
                "createdAt >= :from", Map.of("#s", "status"), from, item -> {
                    if (tenantId != null && !tenantId.equals(Objects.requireNonNullElse(s(item, "tenantId"), ""))) {
                        return;
                    }
                    String status = s(item, "status");
                    String endpointId = s(item, "endpointId");
                    byStatus.merge(status, 1, Integer::sum);
                    endpointOf.put(s(item, "deliveryId"), endpointId);
                    EndpointTally t = endpoints.computeIfAbsent(endpointId, EndpointTally::new);
                    t.deliveries++;
                    String updated = s(item, "updatedAt");
                    switch (status) {
                        case "DELIVERED" -> {
                            t.delivered++;
                            if (updated != null && s(item, "createdAt") != null) {
                                endToEnd.add(Duration.between(Instant.parse(s(item, "createdAt")),
                                        Instant.parse(updated)).toMillis());
                            }
                        }
                        case "FAILED" -> t.failed++;
                        case "RETRYING" -> t.retrying++;
                        default -> { }
                    }
                    String error = s(item, "lastError");
                    if (error != null && !error.isEmpty() && !"DELIVERED".equals(status) && updated != null
                            && updated.compareTo(t.lastErrorAt) > 0) {
                        t.lastError = error;
                        t.lastErrorAt = updated;
                    }
                });
        List<Long> latencies = new ArrayList<>();
        int[] attempts = new int[2];
        scan(attemptsTable, "deliveryId, latencyMs, statusCode, #e, #at", "#at >= :from",
                Map.of("#e", "error", "#at", "at"), from, item -> {
                    String endpointId = endpointOf.get(s(item, "deliveryId"));
                    if (tenantId != null && endpointId == null) {
                        return;
                    }
                    attempts[0]++;
                    AttributeValue latency = item.get("latencyMs");
                    if (latency != null && latency.n() != null) {
                        latencies.add(Long.parseLong(latency.n()));
                    }
                    boolean failed = item.get("error") != null && !item.get("error").s().isEmpty();
                    if (failed) {
                        attempts[1]++;
                    }
                    if (endpointId != null) {
                        EndpointTally t = endpoints.get(endpointId);
                        t.attempts++;
                        if (failed) {
                            t.failedAttempts++;
                        }
                    }
                });
        Map<String, Object> result = new LinkedHashMap<>();
        if (tenantId != null) {
            result.put("tenantId", tenantId.isEmpty() ? null : tenantId);
        }
        result.put("since", since.toString());
        result.put("deliveries", byStatus.values().stream().mapToInt(Integer::intValue).sum());
        result.put("byStatus", byStatus);
        result.put("delivered", byStatus.get("DELIVERED"));
        result.put("retrying", byStatus.get("RETRYING") + byStatus.get("PENDING"));
        result.put("failed", byStatus.get("FAILED"));
        result.put("attempts", attempts[0]);
        result.put("failedAttempts", attempts[1]);
        result.put("attemptLatencyMs", percentiles(latencies));
        result.put("deliveredEndToEndMs", percentiles(endToEnd));
        List<EndpointTally> failing = endpoints.values().stream()
                .filter(t -> t.failed + t.retrying + t.failedAttempts > 0)
                .sorted(Comparator.<EndpointTally>comparingInt(t -> t.failed).reversed()
                        .thenComparing(Comparator.<EndpointTally>comparingInt(t -> t.failedAttempts).reversed())
                        .thenComparing(t -> t.endpointId))
                .limit(top).toList();
        List<Map<String, Object>> failingViews = new ArrayList<>();
        for (EndpointTally t : failing) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("endpointId", t.endpointId);
            v.put("deliveries", t.deliveries);
            v.put("delivered", t.delivered);
            v.put("failed", t.failed);
            v.put("retrying", t.retrying);
            v.put("attempts", t.attempts);
            v.put("failedAttempts", t.failedAttempts);
            v.put("lastError", t.lastError);
            failingViews.add(v);
        }
        result.put("failingEndpoints", failingViews);
        return result;
    }

    /** Nearest-rank p50/p99/max of the values (null when none). */
    public static Map<String, Object> percentiles(List<Long> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", values.size());
        if (values.isEmpty()) {
            m.put("p50", null);
            m.put("p99", null);
            m.put("max", null);
            return m;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        m.put("p50", rank(sorted, 0.50));
        m.put("p99", rank(sorted, 0.99));
        m.put("max", sorted.getLast());
        return m;
    }

    static long rank(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private void scan(String table, String projection, String filter, Map<String, String> names, String from,
                      Consumer<Map<String, AttributeValue>> consumer) {
        Map<String, AttributeValue> start = null;
        do {
            var s = start;
            var page = dynamo.scan(b -> {
                b.tableName(table).projectionExpression(projection).filterExpression(filter)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(Map.of(":from", AttributeValue.fromS(from)));
                if (s != null) {
                    b.exclusiveStartKey(s);
                }
            });
            page.items().forEach(consumer);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
