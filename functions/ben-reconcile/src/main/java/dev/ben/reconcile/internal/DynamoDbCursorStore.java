package dev.ben.reconcile.internal;

import dev.ben.reconcile.CursorStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The cursor as one item in a table keyed by {@code id}. One reconcile runs at a time (the schedule, reserved
 * concurrency 1), so a plain put suffices; a lost update only means some records are checked one run earlier or
 * later.
 */
public final class DynamoDbCursorStore implements CursorStore {

    static final String POSITION = "position";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final String key;

    public DynamoDbCursorStore(DynamoDbClient dynamoDb, String table, String key) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public Optional<String> load() {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(key)))).item();
        if (item == null || !item.containsKey(POSITION)) {
            return Optional.empty();
        }
        return Optional.of(item.get(POSITION).s());
    }

    @Override
    public void save(String position) {
        dynamoDb.putItem(put -> put.tableName(table).item(Map.of("id", AttributeValue.fromS(key),
                POSITION, AttributeValue.fromS(position))));
    }

    @Override
    public void clear() {
        dynamoDb.deleteItem(delete -> delete.tableName(table).key(Map.of("id", AttributeValue.fromS(key))));
    }
}
