package dev.ben.admin;

import dev.ben.core.model.Tenant;
import dev.ben.sender.internal.aws.DynamoDbTenantStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The tenants table ({@code ben-tenants}) for operators, with the item mapping of the sender's
 * {@link DynamoDbTenantStore}. Writes are conditional on (non-)existence, and for secrets on the secrets read before.
 */
public final class TenantAdmin {

    private final DynamoDbClient dynamo;
    private final String table;
    private final ConditionalSecrets secretWrites;

    public TenantAdmin(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.secretWrites = new ConditionalSecrets(dynamo, table, "tenantId", "tenant");
    }

    public Tenant get(String id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("tenantId", AttributeValue.fromS(id)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            throw AdminException.notFound("no tenant " + id);
        }
        try {
            return DynamoDbTenantStore.fromItem(item);
        } catch (IllegalArgumentException malformed) {
            throw AdminException.conflict("tenant " + id + " is stored malformed: " + malformed.getMessage());
        }
    }

    /** Every tenant, sorted by id; malformed rows are returned as errors (id → reason) rather than hidden. */
    public List<Tenant> all(Map<String, String> malformed) {
        List<Tenant> tenants = new ArrayList<>();
        for (var item : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()) {
            try {
                tenants.add(DynamoDbTenantStore.fromItem(item));
            } catch (IllegalArgumentException e) {
                malformed.put(String.valueOf(item.get("tenantId") == null ? "?" : item.get("tenantId").s()),
                        e.getMessage());
            }
        }
        tenants.sort(Comparator.comparing(Tenant::id));
        return tenants;
    }

    /** A page of tenants and the key to continue after it (empty when done); malformed rows as id → reason. */
    public record Page(List<Tenant> items, Map<String, String> malformed, Map<String, String> next) {
    }

    /** Up to {@code limit} tenants in table order (a paginated scan). */
    public Page page(int limit, Map<String, String> cursor) {
        var response = dynamo.scan(b -> {
            b.tableName(table).consistentRead(true).limit(limit);
            if (!cursor.isEmpty()) {
                b.exclusiveStartKey(Map.of("tenantId", AttributeValue.fromS(cursor.get("tenantId"))));
            }
        });
        List<Tenant> tenants = new ArrayList<>();
        Map<String, String> malformed = new LinkedHashMap<>();
        for (var item : response.items()) {
            try {
                tenants.add(DynamoDbTenantStore.fromItem(item));
            } catch (IllegalArgumentException e) {
                malformed.put(item.get("tenantId") == null ? "?" : item.get("tenantId").s(), e.getMessage());
            }
        }
        boolean more = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
        return new Page(tenants, malformed, more ? Map.of("tenantId", response.lastEvaluatedKey().get("tenantId").s())
                : Map.of());
    }

    public void create(Tenant tenant) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(DynamoDbTenantStore.toItem(tenant))
                    .conditionExpression("attribute_not_exists(tenantId)"));
        } catch (ConditionalCheckFailedException exists) {
            throw AdminException.conflict("tenant " + tenant.id() + " already exists");
        }
    }

    /** Sets the tenant's allowed hosts, and only those: a rotation of its secrets meanwhile is kept. */
    public void replaceHosts(Tenant tenant) {
        AttributeValue hosts = DynamoDbTenantStore.toItem(tenant).get("allowedHosts");
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("tenantId", AttributeValue.fromS(tenant.id())))
                    .updateExpression("SET allowedHosts = :hosts").conditionExpression("attribute_exists(tenantId)")
                    .expressionAttributeValues(Map.of(":hosts", hosts)));
        } catch (ConditionalCheckFailedException gone) {
            throw AdminException.notFound("no tenant " + tenant.id());
        }
    }

    /** Replaces the secrets if they are still {@code expected}, leaving the allowed hosts as they are. */
    public void replaceSecrets(String id, List<String> expected, List<String> secrets) {
        secretWrites.replace(id, expected, secrets, () -> get(id));
    }
}
