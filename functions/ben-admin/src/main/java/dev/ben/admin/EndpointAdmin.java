package dev.ben.admin;

import dev.ben.core.model.Endpoint;
import dev.ben.core.retry.RetrySchedule;
import dev.ben.sender.internal.EndpointStore;
import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Endpoint writes the functions do not need (create, update, enable, secrets), on the attribute names of the
 * sender's {@link DynamoDbEndpointStore} (items built with {@link DynamoDbEndpointStore#toItem}); reads go through
 * the store ({@link EndpointStore#find}) so there is one item mapping. Every write is conditional: on existence,
 * and for secrets on the secrets read before (two operators rotating at once cannot lose a secret).
 */
public final class EndpointAdmin {

    private final DynamoDbClient dynamo;
    private final String table;
    private final EndpointStore store;
    private final ConditionalSecrets secretWrites;

    public EndpointAdmin(DynamoDbClient dynamo, String table, EndpointStore store) {
        this.dynamo = dynamo;
        this.table = table;
        this.store = store;
        this.secretWrites = new ConditionalSecrets(dynamo, table, "endpointId", "endpoint");
    }

    public Endpoint get(String id) {
        try {
            return store.find(id).orElseThrow(() -> AdminException.notFound("no endpoint " + id));
        } catch (IllegalArgumentException malformed) {
            throw AdminException.conflict("endpoint " + id + " is stored malformed: " + malformed.getMessage());
        }
    }

    /** Every endpoint id (a keys-only scan), sorted. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        dynamo.scanPaginator(b -> b.tableName(table).projectionExpression("endpointId").consistentRead(true))
                .items().forEach(i -> ids.add(i.get("endpointId").s()));
        ids.sort(String::compareTo);
        return ids;
    }

    /** Every endpoint; malformed rows are returned as errors (id → reason) rather than hidden. */
    public List<Endpoint> all(Map<String, String> malformed) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String id : ids()) {
            try {
                store.find(id).ifPresent(endpoints::add);
            } catch (IllegalArgumentException e) {
                malformed.put(id, e.getMessage());
            }
        }
        return endpoints;
    }

    public void create(Endpoint endpoint) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(DynamoDbEndpointStore.toItem(endpoint))
                    .conditionExpression("attribute_not_exists(endpointId)"));
        } catch (ConditionalCheckFailedException exists) {
            throw AdminException.conflict("endpoint " + endpoint.id() + " already exists");
        }
    }

    /** Sets the given attributes (null = unchanged); {@code schedule} "" removes the per-endpoint schedule. */
    public void update(String id, String url, Set<String> eventTypes, Integer rateLimitPerSecond, String schedule) {
        update(id, url, eventTypes, rateLimitPerSecond, schedule, null);
    }

    /** As above; {@code headers} replace the custom headers (empty removes them, null = unchanged). */
    public void update(String id, String url, Set<String> eventTypes, Integer rateLimitPerSecond, String schedule,
                       Map<String, String> headers) {
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>();
        if (url != null) {
            set.add("#url = :url");
            values.put(":url", AttributeValue.fromS(url));
        }
        if (eventTypes != null) {
            set.add("eventTypes = :types");
            values.put(":types", AttributeValue.fromSs(List.copyOf(eventTypes)));
        }
        if (rateLimitPerSecond != null) {
            if (rateLimitPerSecond == 0) {
                remove.add("rateLimitPerSecond");
            } else {
                set.add("rateLimitPerSecond = :rate");
                values.put(":rate", AttributeValue.fromN(Integer.toString(rateLimitPerSecond)));
            }
        }
        if (schedule != null) {
            if (schedule.isBlank()) {
                remove.add("retrySchedule");
            } else {
                set.add("retrySchedule = :schedule");
                values.put(":schedule", AttributeValue.fromS(RetrySchedule.parse(schedule).spec()));
            }
        }
        if (headers != null) {
            if (headers.isEmpty()) {
                remove.add(DynamoDbEndpointStore.HEADERS);
            } else {
                set.add(DynamoDbEndpointStore.HEADERS + " = :headers");
                values.put(":headers", DynamoDbEndpointStore.headersValue(headers));
            }
        }
        if (set.isEmpty() && remove.isEmpty()) {
            throw AdminException.invalid("nothing to update: give a url, event types, a rate limit, a retry schedule"
                    + " or headers");
        }
        write(id, expression(set, remove), values, Map.of("#url", "url"));
    }

    /**
     * Enables the endpoint, starts a fresh failure run (else the next failure would auto-disable it again) and
     * closes its circuit breaker (the operator says the receiver is back).
     */
    public void enable(String id) {
        write(id, "SET enabled = :t REMOVE disabledReason, disabledAt, firstFailureAt, circuitState, circuitRetryAt, "
                + "circuitFailedProbes, circuitChangedAt, circuitReason", Map.of(":t", AttributeValue.fromBool(true)),
                Map.of());
    }

    /** Deletes the endpoint; its deliveries stay (their next attempt finds no endpoint and fails them). */
    public void delete(String id) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("endpointId", AttributeValue.fromS(id)))
                    .conditionExpression("attribute_exists(endpointId)"));
        } catch (ConditionalCheckFailedException missing) {
            throw AdminException.notFound("no endpoint " + id);
        }
    }

    /** A page of endpoints and the key to continue after it (empty when done). */
    public record Page(List<Endpoint> items, Map<String, String> malformed, Map<String, String> next) {
    }

    /**
     * One tenant's endpoints ({@code ""}: those without a tenant), in table order, up to {@code limit}: a filtered
     * scan, read on until the page is full or the table ends, so a page is short only at the end.
     */
    public Page page(String tenantId, int limit, Map<String, String> cursor) {
        List<Endpoint> items = new ArrayList<>();
        Map<String, String> malformed = new LinkedHashMap<>();
        Map<String, AttributeValue> start = cursor.isEmpty() ? null
                : Map.of("endpointId", AttributeValue.fromS(cursor.get("endpointId")));
        while (true) {
            var from = start;
            var response = dynamo.scan(b -> {
                tenantFilter(b, tenantId).tableName(table).consistentRead(true)
                        .limit(Math.max(1, limit - items.size() - malformed.size()));
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            for (var item : response.items()) {
                try {
                    items.add(DynamoDbEndpointStore.fromItem(item));
                } catch (IllegalArgumentException e) {
                    malformed.put(String.valueOf(item.get("endpointId") == null ? "?" : item.get("endpointId").s()),
                            e.getMessage());
                }
            }
            boolean more = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
            if (!more) {
                return new Page(items, malformed, Map.of());
            }
            start = response.lastEvaluatedKey();
            if (items.size() + malformed.size() >= limit) {
                return new Page(items, malformed, Map.of("endpointId", start.get("endpointId").s()));
            }
        }
    }

    private static ScanRequest.Builder tenantFilter(ScanRequest.Builder scan, String tenantId) {
        if (tenantId.isEmpty()) {
            return scan.filterExpression("attribute_not_exists(tenantId) OR tenantId = :none")
                    .expressionAttributeValues(Map.of(":none", AttributeValue.fromS("")));
        }
        return scan.filterExpression("tenantId = :t").expressionAttributeValues(Map.of(":t",
                AttributeValue.fromS(tenantId)));
    }

    public void disable(String id, String reason, Instant at) {
        get(id);
        store.disable(id, reason, at);
    }

    /** Replaces the secrets if they are still {@code expected}. */
    public void replaceSecrets(String id, List<String> expected, List<String> secrets) {
        secretWrites.replace(id, expected, secrets, () -> get(id));
    }

    private void write(String id, String update, Map<String, AttributeValue> values, Map<String, String> names) {
        Map<String, String> usedNames = new HashMap<>();
        names.forEach((k, v) -> {
            if (update.contains(k)) {
                usedNames.put(k, v);
            }
        });
        try {
            dynamo.updateItem(b -> {
                b.tableName(table).key(Map.of("endpointId", AttributeValue.fromS(id))).updateExpression(update)
                        .conditionExpression("attribute_exists(endpointId)");
                if (!values.isEmpty()) {
                    b.expressionAttributeValues(values);
                }
                if (!usedNames.isEmpty()) {
                    b.expressionAttributeNames(usedNames);
                }
            });
        } catch (ConditionalCheckFailedException missing) {
            throw AdminException.notFound("no endpoint " + id);
        }
    }

    private static String expression(List<String> set, List<String> remove) {
        String s = set.isEmpty() ? "" : "SET " + String.join(", ", set);
        String r = remove.isEmpty() ? "" : "REMOVE " + String.join(", ", remove);
        return (s + " " + r).trim();
    }
}
