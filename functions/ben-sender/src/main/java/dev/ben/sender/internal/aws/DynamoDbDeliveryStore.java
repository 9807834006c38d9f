package dev.ben.sender.internal.aws;

import static dev.ben.sender.internal.aws.Items.bool;
import static dev.ben.sender.internal.aws.Items.instant;
import static dev.ben.sender.internal.aws.Items.n;
import static dev.ben.sender.internal.aws.Items.num;
import static dev.ben.sender.internal.aws.Items.s;
import static dev.ben.sender.internal.aws.Items.str;
import static dev.ben.sender.internal.aws.Items.t;

import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Event;
import dev.ben.sender.internal.DeliveryStore;
import dev.ben.sender.internal.StoredDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Deliveries in DynamoDB (table {@code ben-deliveries}; besides the state, each row carries its event's type,
 * tenantId, version and sequence, and the per-record URL of {@code ep_url_…} deliveries — no extra write). GSIs, all
 * keys only (readers fetch the items by key; a state change writes no entry of an index whose keys it keeps):
 * {@code byDue(dueShard, nextAttemptAt)}, {@code byEntity(entityId, createdAt)}, {@code byEndpoint(endpointId,
 * createdAt)}. {@code dueShard} ({@code STATUS#nn}, see {@link DueShards}) and {@code nextAttemptAt} are only present
 * on live deliveries, so terminal ones drop out of {@code byDue} (a sparse index); a parked delivery (attribute
 * {@code parked}, only present when true) is keyed {@code PARKED#<endpointId>} there instead of its status shard.
 * Terminal deliveries get {@code expiresAt} (TTL) after the retention period.
 */
public final class DynamoDbDeliveryStore implements DeliveryStore {

    public static final String BY_DUE = "byDue";
    public static final String BY_ENTITY = "byEntity";
    private static final String PARKED = "parked";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoDbDeliveryStore(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    @Override
    public Optional<StoredDelivery> createIfAbsent(StoredDelivery d) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(toItem(d))
                    .conditionExpression("attribute_not_exists(deliveryId)"));
            return Optional.empty();
        } catch (ConditionalCheckFailedException exists) {
            return Optional.of(find(d.id()).orElseThrow(
                    () -> new IllegalStateException("delivery " + d.id() + " exists but cannot be read")));
        }
    }

    @Override
    public Optional<StoredDelivery> find(String deliveryId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("deliveryId", s(deliveryId)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public Map<String, StoredDelivery> findAll(Collection<String> deliveryIds) {
        Map<String, StoredDelivery> found = new HashMap<>();
        List<String> ids = deliveryIds.stream().distinct().toList();
        for (int i = 0; i < ids.size(); i += 100) {
            List<Map<String, AttributeValue>> keys = ids.subList(i, Math.min(ids.size(), i + 100)).stream()
                    .map(id -> Map.of("deliveryId", s(id))).toList();
            Map<String, KeysAndAttributes> request =
                    Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            for (int round = 0; !request.isEmpty() && round < 10; round++) {
                var finalRequest = request;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(finalRequest));
                response.responses().getOrDefault(table, List.of())
                        .forEach(item -> found.put(str(item, "deliveryId"), fromItem(item)));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
            if (!request.isEmpty()) {
                throw new IllegalStateException("BatchGetItem left keys unprocessed after 10 rounds");
            }
        }
        return found;
    }

    @Override
    public boolean transition(StoredDelivery expected, Delivery next, String nextToken) {
        Map<String, String> names = new HashMap<>(Map.of("#s", "status"));
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        values.put(":s", s(next.status().name()));
        set.add("#s = :s");
        values.put(":a", n(next.attempts()));
        set.add("attempts = :a");
        values.put(":u", t(next.updatedAt()));
        set.add("updatedAt = :u");
        values.put(":c", n(next.lastStatusCode()));
        set.add("lastStatusCode = :c");
        setOrRemove(set, remove, values, "lastError", next.lastError().isEmpty() ? null : s(next.lastError()));
        setOrRemove(set, remove, values, "queueToken", nextToken == null || nextToken.isEmpty() ? null : s(nextToken));
        boolean due = !next.status().terminal() && next.nextAttemptAt() != null;
        setOrRemove(set, remove, values, "nextAttemptAt", due ? t(next.nextAttemptAt()) : null);
        setOrRemove(set, remove, values, DueShards.ATTRIBUTE, due ? s(DueShards.of(next)) : null);
        setOrRemove(set, remove, values, "expiresAt", next.status().terminal() ? expiry(next.updatedAt()) : null);
        setOrRemove(set, remove, values, PARKED, next.parked() ? AttributeValue.fromBool(true) : null);

        values.put(":es", s(expected.delivery().status().name()));
        values.put(":ea", n(expected.delivery().attempts()));
        String condition = "#s = :es AND attempts = :ea AND ";
        if (expected.queueToken().isEmpty()) {
            condition += "attribute_not_exists(queueToken)";
        } else {
            values.put(":et", s(expected.queueToken()));
            condition += "queueToken = :et";
        }
        // two releases of one parked delivery, or a release of one that was parked again since, must not both win
        if (expected.delivery().parked()) {
            values.put(":ep", AttributeValue.fromBool(true));
            condition += " AND " + PARKED + " = :ep";
        } else {
            condition += " AND attribute_not_exists(" + PARKED + ")";
        }
        String update = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        String finalCondition = condition;
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("deliveryId", s(expected.id())))
                    .updateExpression(update).conditionExpression(finalCondition)
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException stale) {
            return false;
        }
    }

    /**
     * One shard's page at a time, shards in turn; the cursor names the shard ({@value DueShards#CURSOR}) and the
     * index key to resume after. The index holds keys only: the page's items are read by key, and an item that
     * moved on since the index saw it (another status, or no longer due) is left out.
     */
    @Override
    public Page overdue(DeliveryStatus status, Instant dueBefore, int limit, Map<String, String> cursor) {
        int shard = DueShards.shardOf(cursor);
        QueryResponse response = queryByDue("#k = :k AND nextAttemptAt < :t",
                Map.of(":k", s(DueShards.key(status, shard)), ":t", t(dueBefore)), limit, cursor);
        List<StoredDelivery> items = stillMatching(response, d -> d.status() == status && !d.parked()
                && d.nextAttemptAt() != null && d.nextAttemptAt().isBefore(dueBefore));
        return new Page(items, DueShards.next(shard, lastKey(response)));
    }

    /**
     * Through the same index under the endpoint's {@code PARKED#} key; the cursor is the index key to resume after.
     * An item released or re-parked elsewhere since the index saw it is read as it is now, and left out unless it
     * is still parked.
     */
    @Override
    public Page parked(String endpointId, int limit, Map<String, String> cursor) {
        QueryResponse response = queryByDue("#k = :k", Map.of(":k", s(DueShards.parked(endpointId))), limit, cursor);
        List<StoredDelivery> items = stillMatching(response, d -> d.parked() && d.endpointId().equals(endpointId));
        return new Page(items, DueShards.cursorOf(lastKey(response)));
    }

    /** One page of {@code byDue} ({@code #k} names its partition key), from where {@code cursor} left off. */
    private QueryResponse queryByDue(String keyCondition, Map<String, AttributeValue> values, int limit,
                                     Map<String, String> cursor) {
        Map<String, AttributeValue> start = startKey(cursor);
        return dynamo.query(b -> {
            b.tableName(table).indexName(BY_DUE).keyConditionExpression(keyCondition)
                    .expressionAttributeNames(Map.of("#k", DueShards.ATTRIBUTE)).expressionAttributeValues(values)
                    .limit(limit);
            if (!start.isEmpty()) {
                b.exclusiveStartKey(start);
            }
        });
    }

    /** The index key a cursor resumes after (its {@value DueShards#CURSOR} entry is ours, not DynamoDB's). */
    private static Map<String, AttributeValue> startKey(Map<String, String> cursor) {
        Map<String, AttributeValue> start = new HashMap<>();
        cursor.forEach((k, v) -> {
            if (!k.equals(DueShards.CURSOR)) {
                start.put(k, s(v));
            }
        });
        return start;
    }

    private static Map<String, AttributeValue> lastKey(QueryResponse response) {
        return response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : Map.of();
    }

    /** The keys-only index page's items read by key, in index order, those that moved on since left out. */
    private List<StoredDelivery> stillMatching(QueryResponse response, Predicate<Delivery> matches) {
        List<String> ids = response.items().stream().map(item -> str(item, "deliveryId")).toList();
        Map<String, StoredDelivery> found = findAll(ids);
        return ids.stream().map(found::get).filter(d -> d != null && matches.test(d.delivery())).toList();
    }

    /** Newest first, read through the keys-only index and then by key. */
    @Override
    public List<StoredDelivery> byEntity(String entityId, int limit) {
        List<String> ids = dynamo.query(b -> b.tableName(table).indexName(BY_ENTITY)
                        .keyConditionExpression("entityId = :e")
                        .expressionAttributeValues(Map.of(":e", s(entityId)))
                        .scanIndexForward(false).limit(limit))
                .items().stream().map(item -> str(item, "deliveryId")).toList();
        Map<String, StoredDelivery> found = findAll(ids);
        return ids.stream().map(found::get).filter(Objects::nonNull).toList();
    }

    private AttributeValue expiry(Instant from) {
        return n(from.plus(retention).getEpochSecond());
    }

    private static void setOrRemove(List<String> set, List<String> remove, Map<String, AttributeValue> values,
                                    String attribute, AttributeValue value) {
        if (value == null) {
            remove.add(attribute);
        } else {
            values.put(":" + attribute, value);
            set.add(attribute + " = :" + attribute);
        }
    }

    Map<String, AttributeValue> toItem(StoredDelivery stored) {
        Delivery d = stored.delivery();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("deliveryId", s(d.id()));
        item.put("eventId", s(d.eventId()));
        item.put("eventType", s(stored.eventType()));
        item.put("endpointId", s(d.endpointId()));
        if (!d.entityId().isEmpty()) {
            item.put("entityId", s(d.entityId()));
        }
        if (!d.tenantId().isEmpty()) {
            item.put("tenantId", s(d.tenantId()));
        }
        if (!stored.url().isEmpty()) {
            item.put("url", s(stored.url()));
        }
        if (stored.version() != Event.NO_VERSION) {
            item.put("version", n(stored.version()));
        }
        if (!stored.sequence().isEmpty()) {
            item.put("sequence", s(stored.sequence()));
        }
        item.put("status", s(d.status().name()));
        item.put("attempts", n(d.attempts()));
        item.put("createdAt", t(d.createdAt()));
        item.put("updatedAt", t(d.updatedAt()));
        item.put("lastStatusCode", n(d.lastStatusCode()));
        if (!d.status().terminal() && d.nextAttemptAt() != null) {
            item.put("nextAttemptAt", t(d.nextAttemptAt()));
            item.put(DueShards.ATTRIBUTE, s(DueShards.of(d)));
        }
        if (d.status().terminal()) {
            item.put("expiresAt", expiry(d.updatedAt()));
        }
        if (d.parked()) {
            item.put(PARKED, AttributeValue.fromBool(true));
        }
        if (!stored.queueToken().isEmpty()) {
            item.put("queueToken", s(stored.queueToken()));
        }
        if (!d.lastError().isEmpty()) {
            item.put("lastError", s(d.lastError()));
        }
        if (stored.payload() != null) {
            item.put("payload", s(stored.payload()));
        }
        return item;
    }

    public static StoredDelivery fromItem(Map<String, AttributeValue> item) {
        Delivery d = new Delivery(str(item, "deliveryId"), str(item, "eventId"), str(item, "endpointId"),
                str(item, "entityId", ""), str(item, "tenantId", ""), DeliveryStatus.valueOf(str(item, "status")),
                num(item, "attempts"), instant(item, "nextAttemptAt"), num(item, "lastStatusCode"),
                str(item, "lastError", ""), instant(item, "createdAt"), instant(item, "updatedAt"),
                bool(item, PARKED, false));
        AttributeValue version = item.get("version");
        return new StoredDelivery(d, str(item, "eventType", ""), str(item, "payload"), str(item, "queueToken", ""),
                str(item, "url", ""), version == null || version.n() == null ? Event.NO_VERSION
                : Long.parseLong(version.n()), str(item, "sequence", ""));
    }
}
