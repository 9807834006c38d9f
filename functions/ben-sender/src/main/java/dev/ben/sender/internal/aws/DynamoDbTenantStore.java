package dev.ben.sender.internal.aws;

import static dev.ben.sender.internal.aws.Items.s;
import static dev.ben.sender.internal.aws.Items.str;
import static dev.ben.sender.internal.aws.Items.strings;

import dev.ben.core.model.Tenant;
import dev.ben.sender.internal.TenantStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Tenants in table {@code ben-tenants} (pk {@code tenantId}): {@code allowedHosts} (SS or L), {@code secrets}
 * (L of {@code whsec_…}). Lookups are cached per tenant for a short time (the endpoint cache's duration), also
 * "not found", so a burst of one tenant's records reads the row once.
 */
public final class DynamoDbTenantStore implements TenantStore {

    private record Cached(Optional<Tenant> tenant, Instant at) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration cacheFor;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public DynamoDbTenantStore(DynamoDbClient dynamo, String table, Clock clock, Duration cacheFor) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    @Override
    public Optional<Tenant> find(String tenantId) {
        Instant now = clock.instant();
        Cached hit = cache.get(tenantId);
        if (hit != null && hit.at().plus(cacheFor).isAfter(now)) {
            return hit.tenant();
        }
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("tenantId", s(tenantId))).consistentRead(true))
                .item();
        Optional<Tenant> tenant = item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
        cache.put(tenantId, new Cached(tenant, now));
        return tenant;
    }

    /** @throws IllegalArgumentException naming what is wrong with the row */
    public static Tenant fromItem(Map<String, AttributeValue> item) {
        return new Tenant(str(item, "tenantId"), strings(item, "allowedHosts"), strings(item, "secrets"));
    }

    /** The item for a tenant (the CLI and tests register tenants with it). */
    public static Map<String, AttributeValue> toItem(Tenant t) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("tenantId", s(t.id()));
        item.put("allowedHosts", AttributeValue.fromL(t.allowedHosts().stream().map(Items::s).toList()));
        item.put("secrets", AttributeValue.fromL(t.secrets().stream().map(Items::s).toList()));
        return item;
    }
}
