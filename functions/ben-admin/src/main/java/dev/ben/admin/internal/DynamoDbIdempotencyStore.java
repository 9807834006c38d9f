package dev.ben.admin.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Idempotency keys in table {@code ben-idempotency}: idempotencyKey, fingerprint, state (RUNNING, DONE),
 * lockedAt (N, epoch millis), status (N), body, expiresAt (N, epoch seconds; the table's TTL). An expired item may linger
 * until DynamoDB's TTL removes it, so the claim treats it as absent.
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {

    private static final String KEY = "idempotencyKey";
    private static final String RUNNING = "RUNNING";
    private static final String DONE = "DONE";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbIdempotencyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Stored> claim(String key, String fingerprint, Instant now, Instant lockedUntil,
                                  Instant expiresAt) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(KEY, s(key), "fingerprint", s(fingerprint), "state", s(RUNNING),
                            "lockedAt", n(now.toEpochMilli()), "expiresAt", n(expiresAt.getEpochSecond())))
                    .conditionExpression("attribute_not_exists(" + KEY + ") OR expiresAt < :now"
                            + " OR (#state = :running AND lockedAt < :stale)")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()), ":running", s(RUNNING),
                            ":stale", n(lockedUntil.toEpochMilli()))));
            return Optional.empty();
        } catch (ConditionalCheckFailedException held) {
            var item = dynamo.getItem(b -> b.tableName(table).key(Map.of(KEY, s(key))).consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                // released between the write and the read: the caller's retry will claim it
                return Optional.of(new Stored(fingerprint, false, 0, ""));
            }
            boolean done = DONE.equals(item.get("state").s());
            return Optional.of(new Stored(item.get("fingerprint").s(), done,
                    done ? Integer.parseInt(item.get("status").n()) : 0, done ? item.get("body").s() : ""));
        }
    }

    @Override
    public void complete(String key, int status, String body) {
        dynamo.updateItem(b -> b.tableName(table).key(Map.of(KEY, s(key)))
                .updateExpression("SET #state = :done, #status = :status, body = :body")
                .expressionAttributeNames(Map.of("#state", "state", "#status", "status"))
                .expressionAttributeValues(Map.of(":done", s(DONE), ":status", n(status), ":body", s(body))));
    }

    @Override
    public void release(String key) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of(KEY, s(key)))
                    .conditionExpression("#state = :running")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":running", s(RUNNING))));
        } catch (ConditionalCheckFailedException alreadyDone) {
            // a completed response stays: it is what retries get
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
