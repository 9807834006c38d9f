package dev.ben.admin;

import dev.ben.core.model.DeliveryStatus;
import dev.ben.sender.internal.DeliveryStore;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.sender.internal.aws.DueShards;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Listing deliveries by the deliveries table's keys-only indexes, with the attribute names of the sender's
 * {@code DynamoDbDeliveryStore}: {@code byEndpoint(endpointId, createdAt)} when an endpoint is given (newest first),
 * {@code byDue(dueShard, nextAttemptAt)} for live statuses (PENDING, RETRYING: the index is sparse, terminal
 * deliveries are not in it; its 16 shards in turn, oldest due first within each), else a Scan (unordered). The
 * reads return only keys; the items are read through the sender's {@link DeliveryStore#findAll} (one item mapping)
 * and the filters applied to them, so a page is read until it holds {@code limit} matches or the keys run out.
 */
public final class DeliveryQueries {

    public static final String BY_ENDPOINT = "byEndpoint";
    public static final String BY_DUE = "byDue";
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
     * matches any of several statuses, e.g. FAILED and CANCELLED for recover.
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
            return new Filter(null, null, null, null, null, null);
        }

        boolean matches(StoredDelivery stored) {
            var d = stored.delivery();
            return (endpointId == null || endpointId.equals(d.endpointId()))
                    && (status == null || status == d.status())
                    && (anyStatus == null || anyStatus.isEmpty() || anyStatus.contains(d.status()))
                    && (eventType == null || eventType.equals(stored.eventType()))
                    && (since == null || !d.createdAt().isBefore(since))
                    && (tenantId == null || tenantId.equals(d.tenantId()));
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
        List<StoredDelivery> items = new ArrayList<>();
        Map<String, String> position = cursor;
        while (true) {
            KeyPage page = access.fetch(position);
            List<String> ids = page.keys().stream().map(k -> k.get("deliveryId")).toList();
            Map<String, StoredDelivery> found = store.findAll(ids);
            for (int i = 0; i < ids.size(); i++) {
                StoredDelivery d = found.get(ids.get(i));
                if (d != null && filter.matches(d)) {
                    items.add(d);
                    if (items.size() == limit) {
                        boolean last = i == ids.size() - 1;
                        return new Result(items, last ? page.next() : page.resumeAfter(i), access.name());
                    }
                }
            }
            if (page.next().isEmpty()) {
                return new Result(items, Map.of(), access.name());
            }
            position = page.next();
        }
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

    /**
     * Keys in access order (string attributes: the table key and the index key) and the cursor after them;
     * {@code extra} is added to a cursor that resumes inside the page (the shard of a byDue read).
     */
    private record KeyPage(List<Map<String, String>> keys, Map<String, String> next, Map<String, String> extra) {
        Map<String, String> resumeAfter(int index) {
            Map<String, String> cursor = new LinkedHashMap<>(keys.get(index));
            cursor.putAll(extra);
            return cursor;
        }
    }

    private interface Fetch {
        KeyPage fetch(Map<String, String> cursor);
    }

    private record Access(String name, Fetch fetcher) {
        KeyPage fetch(Map<String, String> cursor) {
            return fetcher.fetch(cursor);
        }
    }

    private Access access(Filter f) {
        if (f.endpointId() != null) {
            return new Access(BY_ENDPOINT, cursor -> byEndpoint(f, cursor));
        }
        if (f.status() != null && !f.status().terminal()) {
            return new Access(BY_DUE, cursor -> byDue(f.status(), cursor));
        }
        return new Access("scan", cursor -> scan(f, cursor));
    }

    private KeyPage byEndpoint(Filter f, Map<String, String> cursor) {
        Map<String, String> names = new HashMap<>(Map.of("#e", "endpointId"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":e", AttributeValue.fromS(f.endpointId())));
        String keyCondition = "#e = :e";
        if (f.since() != null) {
            names.put("#c", "createdAt");
            values.put(":since", AttributeValue.fromS(Times.stored(f.since())));
            keyCondition += " AND #c >= :since";
        }
        String condition = keyCondition;
        var response = dynamo.query(b -> {
            b.tableName(table).indexName(BY_ENDPOINT).keyConditionExpression(condition).scanIndexForward(false)
                    .expressionAttributeNames(names).expressionAttributeValues(values).limit(PAGE);
            if (!cursor.isEmpty()) {
                b.exclusiveStartKey(toKey(cursor));
            }
        });
        return new KeyPage(keys(response.items()), response.hasLastEvaluatedKey()
                ? fromKey(response.lastEvaluatedKey()) : Map.of(), Map.of());
    }

    private KeyPage byDue(DeliveryStatus status, Map<String, String> cursor) {
        int shard = DueShards.shardOf(cursor);
        Map<String, String> start = new LinkedHashMap<>(cursor);
        start.remove(DueShards.CURSOR);
        var response = dynamo.query(b -> {
            b.tableName(table).indexName(BY_DUE).keyConditionExpression("#k = :k")
                    .expressionAttributeNames(Map.of("#k", DueShards.ATTRIBUTE))
                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(DueShards.key(status, shard))))
                    .scanIndexForward(true).limit(PAGE);
            if (!start.isEmpty()) {
                b.exclusiveStartKey(toKey(start));
            }
        });
        return new KeyPage(keys(response.items()), DueShards.next(shard, response.hasLastEvaluatedKey()
                ? response.lastEvaluatedKey() : Map.of()), Map.of(DueShards.CURSOR, Integer.toString(shard)));
    }

    /** The table holds every attribute: the scan filters there, so only matching keys come back to be read. */
    private KeyPage scan(Filter f, Map<String, String> cursor) {
        Map<String, String> names = new HashMap<>(Map.of("#d", "deliveryId"));
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> conditions = new ArrayList<>();
        condition(conditions, names, values, "#s = :s", "#s", "status", ":s",
                f.status() == null ? null : f.status().name());
        condition(conditions, names, values, "#t = :t", "#t", "eventType", ":t", f.eventType());
        condition(conditions, names, values, "#c >= :c", "#c", "createdAt", ":c",
                f.since() == null ? null : Times.stored(f.since()));
        // a tenant-less delivery has no tenantId attribute: "" is filtered after the read (matches)
        condition(conditions, names, values, "#tn = :tn", "#tn", "tenantId", ":tn",
                f.tenantId() == null || f.tenantId().isEmpty() ? null : f.tenantId());
        var response = dynamo.scan(b -> {
            b.tableName(table).projectionExpression("#d").expressionAttributeNames(names).limit(PAGE);
            if (!conditions.isEmpty()) {
                b.filterExpression(String.join(" AND ", conditions)).expressionAttributeValues(values);
            }
            if (!cursor.isEmpty()) {
                b.exclusiveStartKey(toKey(cursor));
            }
        });
        return new KeyPage(keys(response.items()), response.hasLastEvaluatedKey()
                ? fromKey(response.lastEvaluatedKey()) : Map.of(), Map.of());
    }

    private static void condition(List<String> conditions, Map<String, String> names,
                                  Map<String, AttributeValue> values, String expression, String name,
                                  String attribute, String placeholder, String value) {
        if (value != null) {
            conditions.add(expression);
            names.put(name, attribute);
            values.put(placeholder, AttributeValue.fromS(value));
        }
    }

    private static List<Map<String, String>> keys(List<Map<String, AttributeValue>> items) {
        return items.stream().map(DeliveryQueries::fromKey).toList();
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
