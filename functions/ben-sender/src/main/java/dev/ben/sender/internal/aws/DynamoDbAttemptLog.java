package dev.ben.sender.internal.aws;

import static dev.ben.sender.internal.aws.Items.instant;
import static dev.ben.sender.internal.aws.Items.n;
import static dev.ben.sender.internal.aws.Items.num;
import static dev.ben.sender.internal.aws.Items.s;
import static dev.ben.sender.internal.aws.Items.str;
import static dev.ben.sender.internal.aws.Items.t;

import dev.ben.sender.internal.AttemptLog;
import dev.ben.core.model.Attempt;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Attempt history in table {@code ben-attempts} (deliveryId, attemptNumber N), expiring by TTL {@code expiresAt}. */
public final class DynamoDbAttemptLog implements AttemptLog {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoDbAttemptLog(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    @Override
    public void record(Attempt a) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("deliveryId", s(a.deliveryId()));
        item.put("attemptNumber", n(a.number()));
        item.put("at", t(a.at()));
        item.put("statusCode", n(a.statusCode()));
        item.put("latencyMs", n(a.latency().toMillis()));
        item.put("expiresAt", n(a.at().plus(retention).getEpochSecond()));
        if (!a.error().isEmpty()) {
            item.put("error", s(a.error()));
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public List<Attempt> list(String deliveryId) {
        return dynamo.query(b -> b.tableName(table).keyConditionExpression("deliveryId = :d")
                        .expressionAttributeValues(Map.of(":d", s(deliveryId))).consistentRead(true))
                .items().stream()
                .map(i -> new Attempt(str(i, "deliveryId"), num(i, "attemptNumber"), instant(i, "at"),
                        num(i, "statusCode"), Duration.ofMillis(num(i, "latencyMs")), str(i, "error")))
                .toList();
    }
}
