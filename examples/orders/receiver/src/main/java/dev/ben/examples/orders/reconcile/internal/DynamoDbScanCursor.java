package dev.ben.examples.orders.reconcile.internal;

import dev.ben.examples.orders.reconcile.ScanCursor;
import dev.ben.examples.orders.store.OrderState;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The reconcile cursor as one item ({@code id = reconcile#cursor}, no {@code expiresAt}, so TTL keeps it) in the
 * receiver's idempotency table, which reconcile already uses. Only one reconcile runs at a time (schedule), so a
 * plain put suffices; a lost update only means some orders are checked one run earlier or later.
 */
public final class DynamoDbScanCursor implements ScanCursor {

    static final String KEY = "reconcile#cursor";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbScanCursor(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public Optional<OrderState> load() {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(KEY)))).item();
        if (item == null || !item.containsKey("orderId") || !item.containsKey("updatedAt")) {
            return Optional.empty();
        }
        return Optional.of(new OrderState(item.get("orderId").s(), OrderState.PENDING, 0, item.get("updatedAt").s()));
    }

    @Override
    public void save(Optional<OrderState> position) {
        if (position.isEmpty()) {
            dynamoDb.deleteItem(delete -> delete.tableName(table).key(Map.of("id", AttributeValue.fromS(KEY))));
            return;
        }
        dynamoDb.putItem(put -> put.tableName(table).item(Map.of(
                "id", AttributeValue.fromS(KEY),
                "orderId", AttributeValue.fromS(position.get().orderId()),
                "updatedAt", AttributeValue.fromS(position.get().updatedAt()))));
    }
}
