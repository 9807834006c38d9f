package dev.ben.receiver.kit.internal;

import dev.ben.receiver.kit.IdempotencyStore;
import dev.ben.receiver.kit.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Idempotency records in one DynamoDB table (partition key {@code id}, TTL attribute {@code expiresAt}), using
 * single-item conditional writes only (no transactions).
 *
 * <p>Item: {@code id} ({@code <scope>#<id>}), {@code status} (IN_PROGRESS | COMPLETED), {@code leaseToken},
 * {@code inProgressUntil} (epoch millis), {@code expiresAt} (epoch seconds, TTL), {@code payloadHash}
 * ({@code sha256:<base64>}, absent when the caller gave none), and once completed {@code responseStatus},
 * {@code responseBody}, {@code responseHeaders}. TTL deletion is lazy, so an item past {@code expiresAt} is
 * treated as absent by the conditions.
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {

    static final String ID = "id";
    static final String STATUS = "status";
    static final String LEASE_TOKEN = "leaseToken";
    static final String IN_PROGRESS_UNTIL = "inProgressUntil";
    static final String EXPIRES_AT = "expiresAt";
    static final String RESPONSE_STATUS = "responseStatus";
    static final String RESPONSE_BODY = "responseBody";
    static final String RESPONSE_HEADERS = "responseHeaders";
    static final String STARTED_AT = "startedAt";
    static final String COMPLETED_AT = "completedAt";
    static final String PAYLOAD_HASH = "payloadHash";
    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String COMPLETED = "COMPLETED";

    /**
     * Stored bodies are capped well below DynamoDB's 400 KB item limit; the executor replaces longer ones by their
     * length and hash before completing, and this store refuses them rather than storing them empty.
     */
    static final int MAX_STORED_BODY_BYTES = 64 * 1024;

    private static final int MAX_BEGIN_ATTEMPTS = 4;

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbIdempotencyStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public BeginOutcome begin(String key, String payloadHash, String leaseToken, Instant now, Instant inProgressUntil,
            Instant expiresAt) {
        Map<String, AttributeValue> claim = new HashMap<>(Map.of(ID, s(key), STATUS, s(IN_PROGRESS),
                LEASE_TOKEN, s(leaseToken), IN_PROGRESS_UNTIL, n(inProgressUntil.toEpochMilli()),
                EXPIRES_AT, n(expiresAt.getEpochSecond()), STARTED_AT, s(now.toString())));
        if (!payloadHash.isEmpty()) {
            claim.put(PAYLOAD_HASH, s(payloadHash));
        }
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> existing;
            try {
                dynamoDb.putItem(put -> put.tableName(table)
                        .item(claim)
                        .conditionExpression("attribute_not_exists(#id) OR #exp < :nowSec"
                                + " OR (#status = :inProgress AND #until < :nowMs)")
                        .expressionAttributeNames(Map.of("#id", ID, "#exp", EXPIRES_AT, "#status", STATUS,
                                "#until", IN_PROGRESS_UNTIL))
                        .expressionAttributeValues(Map.of(":nowSec", n(now.getEpochSecond()),
                                ":inProgress", s(IN_PROGRESS), ":nowMs", n(now.toEpochMilli())))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return new BeginOutcome.Acquired();
            } catch (ConditionalCheckFailedException held) {
                existing = held.hasItem() && !held.item().isEmpty() ? held.item() : read(key);
            }
            BeginOutcome outcome = interpret(existing, now);
            if (outcome != null) {
                return outcome;
            }
            if (attempt >= MAX_BEGIN_ATTEMPTS) {
                // The record keeps changing under us (deleted or expiring as we look): answer retryably.
                return new BeginOutcome.HeldInProgress(now.plusSeconds(1));
            }
        }
    }

    /** The live record's outcome, or {@code null} when there is none any more (try to claim again). */
    private static BeginOutcome interpret(Map<String, AttributeValue> item, Instant now) {
        if (item == null || item.isEmpty() || number(item, EXPIRES_AT) < now.getEpochSecond()) {
            return null;
        }
        String status = item.get(STATUS).s();
        AttributeValue hash = item.get(PAYLOAD_HASH);
        String payloadHash = hash == null || hash.s() == null ? "" : hash.s();
        if (COMPLETED.equals(status)) {
            return new BeginOutcome.Completed(response(item), payloadHash);
        }
        long until = number(item, IN_PROGRESS_UNTIL);
        if (until < now.toEpochMilli()) {
            return null;
        }
        return new BeginOutcome.HeldInProgress(Instant.ofEpochMilli(until), payloadHash);
    }

    private Map<String, AttributeValue> read(String key) {
        return dynamoDb.getItem(get -> get.tableName(table).key(Map.of(ID, s(key))).consistentRead(true)).item();
    }

    @Override
    public boolean complete(String key, String leaseToken, WebhookResponse response, Instant now, Instant expiresAt) {
        String body = response.body();
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_STORED_BODY_BYTES) {
            throw new IllegalArgumentException("response body of " + key + " is over " + MAX_STORED_BODY_BYTES
                    + " bytes: store its length and hash instead (IdempotentExecutor does)");
        }
        Map<String, AttributeValue> headers = new HashMap<>();
        response.headers().forEach((name, value) -> headers.put(name, s(value)));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":completed", s(COMPLETED));
        values.put(":inProgress", s(IN_PROGRESS));
        values.put(":token", s(leaseToken));
        values.put(":rs", n(response.statusCode()));
        values.put(":rb", s(body));
        values.put(":rh", AttributeValue.fromM(headers));
        values.put(":exp", n(expiresAt.getEpochSecond()));
        values.put(":at", s(now.toString()));
        try {
            dynamoDb.updateItem(update -> update.tableName(table).key(Map.of(ID, s(key)))
                    .updateExpression("SET #status = :completed, #rs = :rs, #rb = :rb, #rh = :rh, #exp = :exp,"
                            + " #at = :at REMOVE #until")
                    .conditionExpression("#status = :inProgress AND #token = :token")
                    .expressionAttributeNames(Map.of("#status", STATUS, "#rs", RESPONSE_STATUS, "#rb", RESPONSE_BODY,
                            "#rh", RESPONSE_HEADERS, "#exp", EXPIRES_AT, "#at", COMPLETED_AT,
                            "#until", IN_PROGRESS_UNTIL, "#token", LEASE_TOKEN))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException leaseLost) {
            return false;
        }
    }

    @Override
    public void release(String key, String leaseToken) {
        try {
            dynamoDb.deleteItem(delete -> delete.tableName(table).key(Map.of(ID, s(key)))
                    .conditionExpression("#status = :inProgress AND #token = :token")
                    .expressionAttributeNames(Map.of("#status", STATUS, "#token", LEASE_TOKEN))
                    .expressionAttributeValues(Map.of(":inProgress", s(IN_PROGRESS), ":token", s(leaseToken))));
        } catch (ConditionalCheckFailedException notOurs) {
            // the lease expired and another attempt owns the record now: leave it alone
        }
    }

    private static WebhookResponse response(Map<String, AttributeValue> item) {
        Map<String, String> headers = new HashMap<>();
        AttributeValue stored = item.get(RESPONSE_HEADERS);
        if (stored != null && stored.hasM()) {
            stored.m().forEach((name, value) -> headers.put(name, value.s()));
        }
        AttributeValue body = item.get(RESPONSE_BODY);
        return new WebhookResponse((int) number(item, RESPONSE_STATUS), body == null ? "" : body.s(), headers);
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0L : Long.parseLong(value.n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
