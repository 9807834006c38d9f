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
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

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
        dynamo.putItem(b -> b.tableName(table).item(item(a)));
    }

    /** BatchWriteItem, 25 rows per request, unprocessed items retried (up to 10 rounds, then it throws). */
    @Override
    public void recordAll(List<Attempt> attempts) {
        for (int i = 0; i < attempts.size(); i += 25) {
            List<WriteRequest> writes = attempts.subList(i, Math.min(attempts.size(), i + 25)).stream()
                    .map(a -> WriteRequest.builder().putRequest(PutRequest.builder().item(item(a)).build()).build())
                    .toList();
            Map<String, List<WriteRequest>> request = Map.of(table, writes);
            for (int round = 0; !request.isEmpty(); round++) {
                if (round == 10) {
                    throw new IllegalStateException("BatchWriteItem left attempt rows unprocessed after 10 rounds");
                }
                var finalRequest = request;
                var response = dynamo.batchWriteItem(b -> b.requestItems(finalRequest));
                request = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
    }

    private Map<String, AttributeValue> item(Attempt a) {
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
        return item;
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
