package dev.ben.admin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Replaces the {@code secrets} attribute of an item (an endpoint or a tenant) only if it still holds the secrets
 * read before, so two operators rotating at once cannot lose a secret.
 */
final class ConditionalSecrets {

    private final DynamoDbClient dynamo;
    private final String table;
    private final String key;
    private final String kind;

    /** @param kind what the table holds, for messages: {@code endpoint}, {@code tenant} */
    ConditionalSecrets(DynamoDbClient dynamo, String table, String key, String kind) {
        this.dynamo = dynamo;
        this.table = table;
        this.key = key;
        this.kind = kind;
    }

    /**
     * @param existing throws the not-found error when the item is gone (run only when the condition failed)
     * @throws AdminException conflict when the secrets are no longer {@code expected}
     */
    void replace(String id, List<String> expected, List<String> secrets, Runnable existing) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":new", AttributeValue.fromL(secrets.stream().map(AttributeValue::fromS).toList()));
        // size + contains works whether the secrets are stored as L (as the sender writes them) or SS
        values.put(":n", AttributeValue.fromN(Integer.toString(expected.size())));
        StringBuilder condition = new StringBuilder("attribute_exists(" + key + ") AND size(secrets) = :n");
        for (int i = 0; i < expected.size(); i++) {
            values.put(":s" + i, AttributeValue.fromS(expected.get(i)));
            condition.append(" AND contains(secrets, :s").append(i).append(')');
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(key, AttributeValue.fromS(id)))
                    .updateExpression("SET secrets = :new").conditionExpression(condition.toString())
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException changed) {
            existing.run();
            throw AdminException.conflict("the secrets of " + kind + " " + id + " changed meanwhile; try again");
        }
    }
}
