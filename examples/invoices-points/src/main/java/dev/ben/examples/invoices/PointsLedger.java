package dev.ben.examples.invoices;

import dev.ben.reconcile.PendingRecord;
import dev.ben.reconcile.PendingSource;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * B's own data: invoices it awaits payment of ({@code AWAITING} until credited) and customers' point balances.
 * Crediting is a plain {@code ADD}: deliberately not idempotent, so only the receiver kit stands between a duplicate
 * and a double credit.
 */
public final class PointsLedger implements PendingSource {

    public static final String AWAITING = "AWAITING";
    public static final String CREDITED = "CREDITED";

    private final DynamoDbClient dynamoDb;
    private final String invoices;
    private final String balances;

    public PointsLedger(DynamoDbClient dynamoDb, String invoices, String balances) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.invoices = Objects.requireNonNull(invoices, "invoices");
        this.balances = Objects.requireNonNull(balances, "balances");
    }

    /** B learns of an invoice (e.g. when it was issued): it awaits A's payment event. */
    public void await(String invoiceId, String customerId, long version, Instant since) {
        dynamoDb.putItem(put -> put.tableName(invoices).item(Map.of(
                "invoiceId", s(invoiceId), "customerId", s(customerId), "status", s(AWAITING),
                "lastVersion", n(version), "since", s(since.toString()))));
    }

    /** Credits {@code points} to the customer (not idempotent) and marks the invoice credited at {@code version}. */
    public void credit(String invoiceId, String customerId, long points, long version, Instant at) {
        dynamoDb.updateItem(update -> update.tableName(balances).key(Map.of("customerId", s(customerId)))
                .updateExpression("ADD points :p, credits :one")
                .expressionAttributeValues(Map.of(":p", n(points), ":one", n(1))));
        dynamoDb.updateItem(update -> update.tableName(invoices).key(Map.of("invoiceId", s(invoiceId)))
                .updateExpression("SET #s = :credited, lastVersion = :v, customerId = :c, creditedAt = :at")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":credited", s(CREDITED), ":v", n(version), ":c", s(customerId),
                        ":at", s(at.toString()))));
    }

    /** The customer's points and how many credits made them. */
    public Balance balance(String customerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(balances).consistentRead(true)
                .key(Map.of("customerId", s(customerId)))).item();
        return item == null || item.isEmpty() ? new Balance(0, 0)
                : new Balance(number(item, "points"), number(item, "credits"));
    }

    /** The invoice's status at B, if B knows it. */
    public Optional<String> status(String invoiceId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(invoices).consistentRead(true)
                .key(Map.of("invoiceId", s(invoiceId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item.get("status").s());
    }

    /** Points and number of credits of one customer. */
    public record Balance(long points, long credits) {
    }

    /** Invoices still AWAITING, by invoice id (the byStatus index), from after {@code after}. */
    @Override
    public Page page(Optional<String> after, int limit) {
        Map<String, AttributeValue> start = after.map(id -> Map.of("status", s(AWAITING), "invoiceId", s(id)))
                .orElse(null);
        QueryResponse response = dynamoDb.query(q -> q.tableName(invoices).indexName("byStatus")
                .keyConditionExpression("#s = :awaiting")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":awaiting", s(AWAITING)))
                .exclusiveStartKey(start).limit(limit));
        List<PendingRecord> records = response.items().stream().map(item -> new PendingRecord(
                item.get("invoiceId").s(), "", BigInteger.valueOf(number(item, "lastVersion")),
                Instant.parse(item.get("since").s()), item.get("invoiceId").s())).toList();
        return new Page(records, response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty());
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

}
