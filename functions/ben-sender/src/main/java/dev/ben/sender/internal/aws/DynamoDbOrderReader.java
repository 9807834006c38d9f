package dev.ben.sender.internal.aws;

import dev.ben.core.observability.Json;
import dev.ben.sender.internal.OrderReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The orders table (orderId, status, version, amount, currency, updatedAt), strongly consistent reads. */
public final class DynamoDbOrderReader implements OrderReader {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbOrderReader(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Map<String, Object>> order(String orderId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("orderId", AttributeValue.fromS(orderId)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> order = new LinkedHashMap<>();
        item.forEach((k, v) -> {
            if (v.s() != null) {
                order.put(k, v.s());
            } else if (v.n() != null) {
                order.put(k, new Json.RawNumber(v.n()));
            } else if (v.bool() != null) {
                order.put(k, v.bool());
            }
        });
        return Optional.of(order);
    }
}
