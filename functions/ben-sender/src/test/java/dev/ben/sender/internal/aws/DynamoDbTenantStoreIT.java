package dev.ben.sender.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.model.Tenant;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.testing.UnitRig;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The tenants table on the local stack: lookups cached per tenant, "not found" too. */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbTenantStoreIT {

    private static final Duration CACHE = Duration.ofSeconds(30);

    private static DynamoDbClient dynamoDb;
    private static String table;

    private final UnitRig rig = new UnitRig();
    private final String id = "tenant-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void provision(LocalAws aws) {
        var resources = aws.provision(BenSettings.own(), "ten-");
        dynamoDb = aws.dynamoDb();
        table = resources.tableName(BenSettings.TENANTS_TABLE);
    }

    private void put(Tenant t) {
        dynamoDb.putItem(p -> p.tableName(table).item(DynamoDbTenantStore.toItem(t)));
    }

    @Test
    void find_readsTheTenantsHostsAndSecrets() {
        Tenant t = new Tenant(id, List.of("hooks.example.com", "*.partner.example"), List.of(UnitRig.SECRET));
        put(t);

        assertThat(new DynamoDbTenantStore(dynamoDb, table, rig.clock, CACHE).find(id)).contains(t);
    }

    @Test
    void find_hostsStoredAsAStringSet_areRead() {
        dynamoDb.putItem(p -> p.tableName(table).item(Map.of("tenantId", AttributeValue.fromS(id),
                "allowedHosts", AttributeValue.fromSs(List.of("hooks.example.com")),
                "secrets", AttributeValue.fromL(List.of(AttributeValue.fromS(UnitRig.SECRET))))));

        Tenant t = new DynamoDbTenantStore(dynamoDb, table, rig.clock, CACHE).find(id).orElseThrow();

        assertThat(t.allowedHosts()).containsExactly("hooks.example.com");
    }

    @Test
    void find_isCachedPerTenant_foundOrNot_untilTheCacheExpires() {
        DynamoDbTenantStore store = new DynamoDbTenantStore(dynamoDb, table, rig.clock, CACHE);
        Tenant before = new Tenant(id, List.of("a.example.com"), List.of(UnitRig.SECRET));

        var notYet = store.find(id);
        put(before);
        var stillNotFound = store.find(id);
        rig.clock.advance(CACHE);
        var found = store.find(id);
        put(new Tenant(id, List.of("b.example.com"), List.of(UnitRig.SECRET)));
        var cached = store.find(id);

        assertThat(notYet).isEmpty();
        assertThat(stillNotFound).isEmpty();
        assertThat(found).contains(before);
        assertThat(cached).contains(before);
    }
}
