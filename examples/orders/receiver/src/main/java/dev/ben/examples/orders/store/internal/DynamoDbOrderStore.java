package dev.ben.examples.orders.store.internal;

import dev.ben.examples.orders.store.ApplyOutcome;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.OrderStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** {@code receiver-orders}: orderId (pk), status, version, updatedAt, appliedAt; GSI byStatus(status, updatedAt). */
public final class DynamoDbOrderStore implements OrderStore {

    public static final String BY_STATUS_INDEX = "byStatus";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public DynamoDbOrderStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ApplyOutcome apply(OrderState state) {
        try {
            dynamoDb.updateItem(update -> update.tableName(table)
                    .key(Map.of("orderId", AttributeValue.fromS(state.orderId())))
                    .updateExpression("SET #status = :status, #version = :version, updatedAt = :updatedAt,"
                            + " appliedAt = :appliedAt")
                    .conditionExpression("attribute_not_exists(orderId) OR #version < :version")
                    .expressionAttributeNames(Map.of("#status", "status", "#version", "version"))
                    .expressionAttributeValues(Map.of(
                            ":status", AttributeValue.fromS(state.status()),
                            ":version", AttributeValue.fromN(Long.toString(state.version())),
                            ":updatedAt", AttributeValue.fromS(state.updatedAt()),
                            ":appliedAt", AttributeValue.fromS(clock.instant().toString()))));
            return ApplyOutcome.APPLIED;
        } catch (ConditionalCheckFailedException sameOrNewer) {
            return ApplyOutcome.STALE;
        }
    }

    @Override
    public PendingScan pendingBefore(Instant cutoff, int max, int pageSize, java.util.Optional<OrderState> after) {
        List<OrderState> found = new ArrayList<>();
        Map<String, AttributeValue> startKey = after.map(position -> Map.of(
                "orderId", AttributeValue.fromS(position.orderId()),
                "status", AttributeValue.fromS(OrderState.PENDING),
                "updatedAt", AttributeValue.fromS(position.updatedAt()))).orElse(null);
        int pages = 0;
        boolean more;
        do {
            Map<String, AttributeValue> exclusiveStart = startKey;
            int limit = Math.min(pageSize, max - found.size());
            QueryResponse page = dynamoDb.query(query -> query.tableName(table).indexName(BY_STATUS_INDEX)
                    .keyConditionExpression("#status = :pending AND updatedAt < :cutoff")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS(OrderState.PENDING),
                            ":cutoff", AttributeValue.fromS(cutoff.toString())))
                    .limit(limit)
                    .exclusiveStartKey(exclusiveStart));
            pages++;
            for (Map<String, AttributeValue> item : page.items()) {
                found.add(toState(item));
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            more = startKey != null;
        } while (more && found.size() < max);
        return new PendingScan(found, pages, more);
    }

    /** Reads one order (tests, diagnostics). */
    public java.util.Optional<OrderState> find(String orderId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(table)
                .key(Map.of("orderId", AttributeValue.fromS(orderId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(toState(item));
    }

    static OrderState toState(Map<String, AttributeValue> item) {
        AttributeValue version = item.get("version");
        AttributeValue updatedAt = item.get("updatedAt");
        return new OrderState(item.get("orderId").s(), item.get("status").s(),
                version == null ? 0 : Long.parseLong(version.n()), updatedAt == null ? "" : updatedAt.s());
    }
}
