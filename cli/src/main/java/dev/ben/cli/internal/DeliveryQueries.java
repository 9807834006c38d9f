package dev.ben.cli.internal;

import dev.ben.core.model.DeliveryStatus;
import dev.ben.sender.internal.DeliveryStore;
import dev.ben.sender.internal.StoredDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Listing deliveries by the deliveries table's indexes, with the attribute names of the sender's
 * {@code DynamoDbDeliveryStore}: {@code byEndpoint(endpointId, createdAt)} when an endpoint is given (newest first),
 * {@code byStatus(status, nextAttemptAt)} for live statuses (PENDING, RETRYING: the index is sparse, terminal
 * deliveries are not in it; oldest due first), else a filtered Scan (unordered). The queries return only keys;
 * the items are read through the sender's {@link DeliveryStore#findAll} so there is one item mapping.
 */
public final class DeliveryQueries {

    public static final String BY_ENDPOINT = "byEndpoint";
    public static final String BY_STATUS = "byStatus";
    private static final int PAGE = 200;

    private final DynamoDbClient dynamo;
    private final String table;
    private final DeliveryStore store;

    public DeliveryQueries(DynamoDbClient dynamo, String table, DeliveryStore store) {
        this.dynamo = dynamo;
        this.table = table;
        this.store = store;
    }

    /**
     * Every filter is optional ({@code null}); {@code tenantId} selects one tenant's deliveries; {@code anyStatus}
     * (with an endpoint) matches any of several statuses, e.g. FAILED and CANCELLED for recover.
     */
    public record Filter(String endpointId, DeliveryStatus status, String eventType, Instant since, String tenantId,
                         Set<DeliveryStatus> anyStatus) {
        public Filter(String endpointId, DeliveryStatus status, String eventType, Instant since, String tenantId) {
            this(endpointId, status, eventType, since, tenantId, null);
        }

        public Filter(String endpointId, DeliveryStatus status, String eventType, Instant since) {
            this(endpointId, status, eventType, since, null, null);
        }

        /** An endpoint's deliveries in any of {@code statuses} created since a time. */
        public static Filter anyOf(String endpointId, Set<DeliveryStatus> statuses, Instant since) {
            return new Filter(endpointId, null, null, since, null, Set.copyOf(statuses));
        }

        public static Filter none() {
            return new Filter(null, null, null, null, null);
        }
    }

    /** Deliveries in the order of the access path, and the cursor to resume after the last one (empty when done). */
    public record Result(List<StoredDelivery> items, Map<String, String> next, String accessPath) {
    }

    public Result list(Filter filter, int limit, Map<String, String> cursor) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        Access access = access(filter);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        Map<String, AttributeValue> start = toKey(cursor);
        Map<String, String> next = Map.of();
        while (true) {
            Map<String, AttributeValue> from = start;
            Page page = access.fetch(from);
            int i = 0;
            for (; i < page.items().size() && keys.size() < limit; i++) {
                keys.add(page.items().get(i));
            }
            boolean pageConsumed = i == page.items().size();
            if (keys.size() >= limit) {
                if (!pageConsumed) {
                    next = fromKey(keyOf(keys.getLast(), access.keyAttributes()));
                } else {
                    next = fromKey(page.lastKey());
                }
                break;
            }
            if (page.lastKey().isEmpty()) {
                break;
            }
            start = page.lastKey();
        }
        List<String> ids = keys.stream().map(k -> k.get("deliveryId").s()).toList();
        Map<String, StoredDelivery> found = store.findAll(ids);
        List<StoredDelivery> items = ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
        return new Result(items, next, access.name());
    }

    /** Streams every matching delivery, page by page (for stats and bulk operations); returns the count. */
    public long forEach(Filter filter, Consumer<StoredDelivery> consumer) {
        Map<String, String> cursor = Map.of();
        long n = 0;
        do {
            Result r = list(filter, PAGE, cursor);
            r.items().forEach(consumer);
            n += r.items().size();
            cursor = r.next();
        } while (!cursor.isEmpty());
        return n;
    }

    private record Page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastKey) {
    }

    private interface Fetch {
        Page fetch(Map<String, AttributeValue> start);
    }

    private record Access(String name, List<String> keyAttributes, Fetch fetcher) {
        Page fetch(Map<String, AttributeValue> start) {
            return fetcher.fetch(start);
        }
    }

    private Access access(Filter f) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> filters = new ArrayList<>();
        names.put("#d", "deliveryId");
        if (f.endpointId() != null) {
            names.put("#e", "endpointId");
            names.put("#c", "createdAt");
            values.put(":e", AttributeValue.fromS(f.endpointId()));
            String keyCondition = "#e = :e";
            if (f.since() != null) {
                values.put(":since", AttributeValue.fromS(Times.stored(f.since())));
                keyCondition += " AND #c >= :since";
            }
            if (f.status() != null) {
                names.put("#s", "status");
                values.put(":s", AttributeValue.fromS(f.status().name()));
                filters.add("#s = :s");
            }
            anyStatusFilter(f, names, values, filters);
            eventTypeFilter(f, names, values, filters);
            String kc = keyCondition;
            return new Access(BY_ENDPOINT, List.of("deliveryId", "endpointId", "createdAt"),
                    start -> query(BY_ENDPOINT, kc, false, names, values, filters, "#d, #e, #c", start));
        }
        if (f.status() != null && !f.status().terminal()) {
            names.put("#s", "status");
            names.put("#n", "nextAttemptAt");
            values.put(":s", AttributeValue.fromS(f.status().name()));
            sinceFilter(f, names, values, filters);
            eventTypeFilter(f, names, values, filters);
            return new Access(BY_STATUS, List.of("deliveryId", "status", "nextAttemptAt"),
                    start -> query(BY_STATUS, "#s = :s", true, names, values, filters, "#d, #s, #n", start));
        }
        if (f.status() != null) {
            names.put("#s", "status");
            values.put(":s", AttributeValue.fromS(f.status().name()));
            filters.add("#s = :s");
        }
        sinceFilter(f, names, values, filters);
        eventTypeFilter(f, names, values, filters);
        return new Access("scan", List.of("deliveryId"), start -> scan(names, values, filters, start));
    }

    private static void anyStatusFilter(Filter f, Map<String, String> names, Map<String, AttributeValue> values,
                                        List<String> filters) {
        if (f.anyStatus() == null || f.anyStatus().isEmpty()) {
            return;
        }
        names.put("#s", "status");
        List<String> placeholders = new ArrayList<>();
        for (DeliveryStatus s : new TreeSet<>(f.anyStatus())) {
            String p = ":any" + placeholders.size();
            values.put(p, AttributeValue.fromS(s.name()));
            placeholders.add(p);
        }
        filters.add("#s IN (" + String.join(", ", placeholders) + ")");
    }

    private static void sinceFilter(Filter f, Map<String, String> names, Map<String, AttributeValue> values,
                                    List<String> filters) {
        if (f.since() != null) {
            names.put("#c", "createdAt");
            values.put(":since", AttributeValue.fromS(Times.stored(f.since())));
            filters.add("#c >= :since");
        }
    }

    private static void eventTypeFilter(Filter f, Map<String, String> names, Map<String, AttributeValue> values,
                                        List<String> filters) {
        if (f.eventType() != null) {
            names.put("#t", "eventType");
            values.put(":t", AttributeValue.fromS(f.eventType()));
            filters.add("#t = :t");
        }
        if (f.tenantId() != null) {
            names.put("#tn", "tenantId");
            values.put(":tn", AttributeValue.fromS(f.tenantId()));
            filters.add("#tn = :tn");
        }
    }

    private Page query(String index, String keyCondition, boolean forward, Map<String, String> names,
                       Map<String, AttributeValue> values, List<String> filters, String projection,
                       Map<String, AttributeValue> start) {
        var response = dynamo.query(b -> {
            b.tableName(table).indexName(index).keyConditionExpression(keyCondition).scanIndexForward(forward)
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .projectionExpression(projection).limit(PAGE);
            if (!filters.isEmpty()) {
                b.filterExpression(String.join(" AND ", filters));
            }
            if (!start.isEmpty()) {
                b.exclusiveStartKey(start);
            }
        });
        return new Page(response.items(), response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : Map.of());
    }

    private Page scan(Map<String, String> names, Map<String, AttributeValue> values, List<String> filters,
                      Map<String, AttributeValue> start) {
        var response = dynamo.scan(b -> {
            b.tableName(table).projectionExpression("#d").expressionAttributeNames(names).limit(PAGE);
            if (!values.isEmpty()) {
                b.expressionAttributeValues(values);
            }
            if (!filters.isEmpty()) {
                b.filterExpression(String.join(" AND ", filters));
            }
            if (!start.isEmpty()) {
                b.exclusiveStartKey(start);
            }
        });
        return new Page(response.items(), response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : Map.of());
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item, List<String> attributes) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String a : attributes) {
            AttributeValue v = item.get(a);
            if (v != null) {
                key.put(a, v);
            }
        }
        return key;
    }

    private static Map<String, AttributeValue> toKey(Map<String, String> cursor) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        cursor.forEach((k, v) -> key.put(k, AttributeValue.fromS(v)));
        return key;
    }

    private static Map<String, String> fromKey(Map<String, AttributeValue> key) {
        Map<String, String> cursor = new LinkedHashMap<>();
        key.forEach((k, v) -> {
            if (v.s() != null) {
                cursor.put(k, v.s());
            }
        });
        return cursor;
    }
}
