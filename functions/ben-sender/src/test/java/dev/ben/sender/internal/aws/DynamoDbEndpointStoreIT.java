package dev.ben.sender.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.model.Endpoint;
import dev.ben.core.retry.RetrySchedule;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.testing.UnitRig;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The endpoints table on the local stack: subscriptions by type and tenant from a cached scan, malformed rows
 * reported and skipped, health updates that keep the earliest failure and never resurrect a deleted endpoint.
 * Each test has its own table (the scan reads all of it).
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbEndpointStoreIT {

    private static final Duration CACHE = Duration.ofSeconds(30);

    private final UnitRig rig = new UnitRig();
    private DynamoDbClient dynamoDb;
    private String table;
    private DynamoDbEndpointStore store;

    @BeforeEach
    void provision(LocalAws aws) {
        var resources = aws.provision(BenSettings.own(), "ep" + UUID.randomUUID().toString().substring(0, 6) + "-");
        dynamoDb = aws.dynamoDb();
        table = resources.tableName(BenSettings.ENDPOINTS_TABLE);
        store = new DynamoDbEndpointStore(dynamoDb, table, rig.clock, CACHE, rig.telemetry);
    }

    private void put(Endpoint e) {
        dynamoDb.putItem(p -> p.tableName(table).item(DynamoDbEndpointStore.toItem(e)));
    }

    private Map<String, AttributeValue> item(String id) {
        return dynamoDb.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of("endpointId", AttributeValue.fromS(id)))).item();
    }

    private static Endpoint endpoint(String id, Set<String> types) {
        return Endpoint.of(id, "https://" + id + ".example.com/h", types, List.of(UnitRig.SECRET));
    }

    @Test
    void subscribedTo_returnsTheEndpointsOfTheTenantForTheType_disabledOnesToo() {
        put(endpoint("ep-paid", Set.of("order.paid")));
        put(endpoint("ep-all", Set.of("*")));
        put(endpoint("ep-shipped", Set.of("order.shipped")));
        put(endpoint("ep-off", Set.of("*")).disabled("operator"));
        put(endpoint("ep-tenant", Set.of("*")).withTenant("tenant-a"));

        List<Endpoint> tenantless = store.subscribedTo("order.paid", "");
        List<Endpoint> ofTenant = store.subscribedTo("order.paid", "tenant-a");

        assertThat(tenantless).extracting(Endpoint::id).containsExactlyInAnyOrder("ep-paid", "ep-all", "ep-off");
        assertThat(tenantless).filteredOn(e -> !e.enabled()).extracting(Endpoint::id)
                .as("notify records CANCELLED deliveries for it").containsExactly("ep-off");
        assertThat(ofTenant).extracting(Endpoint::id).containsExactly("ep-tenant");
    }

    @Test
    void everyStoredFieldRoundTrips() {
        Endpoint full = new Endpoint("ep-full", "https://full.example.com/h", Set.of("order.paid", "order.shipped"),
                List.of(UnitRig.SECRET, "whsec_c2Vjb25kLXNlY3JldC1mb3ItYmVuLXRlc3RzLTEyMzQ1Ng=="), false, "HTTP 410",
                5, RetrySchedule.parse("2s,4s"), Instant.parse("2026-11-28T10:00:00Z"), "tenant-a");
        put(full);

        assertThat(store.find("ep-full")).contains(full);
    }

    @Test
    void eventTypesAndSecretsWrittenByHand_asACommaSeparatedString_areRead() {
        dynamoDb.putItem(p -> p.tableName(table).item(Map.of("endpointId", AttributeValue.fromS("ep-hand"),
                "url", AttributeValue.fromS("https://hand.example.com/h"),
                "eventTypes", AttributeValue.fromS("order.paid, order.shipped"),
                "secrets", AttributeValue.fromS(UnitRig.SECRET))));

        Endpoint e = store.find("ep-hand").orElseThrow();

        assertThat(e.eventTypes()).containsExactlyInAnyOrder("order.paid", "order.shipped");
        assertThat(e.secrets()).containsExactly(UnitRig.SECRET);
        assertThat(e.enabled()).isTrue();
    }

    @Test
    void subscriptions_areCachedForTheConfiguredTime() {
        put(endpoint("ep-1", Set.of("*")));
        store.subscribedTo("order.paid", "");
        put(endpoint("ep-2", Set.of("*")));

        List<Endpoint> cached = store.subscribedTo("order.paid", "");
        rig.clock.advance(CACHE);
        List<Endpoint> refreshed = store.subscribedTo("order.paid", "");

        assertThat(cached).extracting(Endpoint::id).containsExactly("ep-1");
        assertThat(refreshed).extracting(Endpoint::id).containsExactlyInAnyOrder("ep-1", "ep-2");
    }

    @Test
    void find_isServedFromTheFreshCache_andReadsTheTableOtherwise() {
        put(endpoint("ep-1", Set.of("*")));
        store.subscribedTo("order.paid", "");
        put(endpoint("ep-1", Set.of("order.refunded")));
        put(endpoint("ep-new", Set.of("*")));

        Endpoint fromCache = store.find("ep-1").orElseThrow();
        Endpoint notCached = store.find("ep-new").orElseThrow();
        rig.clock.advance(CACHE);
        Endpoint fromTable = store.find("ep-1").orElseThrow();

        assertThat(fromCache.eventTypes()).containsExactly("*");
        assertThat(notCached.id()).isEqualTo("ep-new");
        assertThat(fromTable.eventTypes()).containsExactly("order.refunded");
        assertThat(store.find("ep-missing")).isEmpty();
    }

    @Test
    void find_withoutACache_alwaysReadsTheTable() {
        DynamoDbEndpointStore uncached = new DynamoDbEndpointStore(dynamoDb, table, rig.clock, Duration.ZERO,
                rig.telemetry);
        put(endpoint("ep-1", Set.of("*")));
        uncached.subscribedTo("order.paid", "");
        put(endpoint("ep-1", Set.of("order.refunded")));

        assertThat(uncached.find("ep-1").orElseThrow().eventTypes()).containsExactly("order.refunded");
    }

    @Test
    void malformedRow_isReportedAndSkipped_theOthersStillReceive() {
        put(endpoint("ep-good", Set.of("*")));
        dynamoDb.putItem(p -> p.tableName(table).item(Map.of("endpointId", AttributeValue.fromS("ep-bad"),
                "url", AttributeValue.fromS("https://bad.example.com/h"),
                "eventTypes", AttributeValue.fromSs(List.of("*")),
                "secrets", AttributeValue.fromL(List.of(AttributeValue.fromS("not-a-secret"))))));

        List<Endpoint> receiving = store.subscribedTo("order.paid", "");

        assertThat(receiving).extracting(Endpoint::id).containsExactly("ep-good");
        assertThat(rig.logLines("endpoint skipped: malformed row in " + table)).singleElement().asString()
                .contains("\"endpointId\":\"ep-bad\"").contains("\"reason\":");
        assertThat(rig.metric("malformedEndpoints")).isEqualTo(1);
    }

    @Test
    void disable_switchesItOffWithTheReason_andTheCachedSubscriptionsSeeIt() {
        put(endpoint("ep-1", Set.of("*")));
        store.subscribedTo("order.paid", "");
        Instant at = rig.clock.instant();

        store.disable("ep-1", "HTTP 410 Gone", at);

        assertThat(store.subscribedTo("order.paid", "")).singleElement()
                .satisfies(e -> assertThat(e.enabled()).isFalse());
        var item = item("ep-1");
        assertThat(item.get("enabled").bool()).isFalse();
        assertThat(item.get("disabledReason").s()).isEqualTo("HTTP 410 Gone");
        assertThat(item.get("disabledAt").s()).isEqualTo(Items.time(at));
    }

    @Test
    void healthUpdates_onADeletedEndpoint_createNothing() {
        store.disable("ep-gone", "HTTP 410 Gone", rig.clock.instant());
        store.markFailing("ep-gone", rig.clock.instant());
        store.clearFailing("ep-gone");

        assertThat(item("ep-gone")).isEmpty();
    }

    @Test
    void markFailing_keepsTheEarliestFailure_andClearFailingRemovesIt() {
        put(endpoint("ep-1", Set.of("*")));
        Instant first = Instant.parse("2026-11-29T20:00:00Z");

        store.markFailing("ep-1", first);
        store.markFailing("ep-1", first.plusSeconds(60));
        Instant recorded = store.find("ep-1").orElseThrow().firstFailureAt();
        store.clearFailing("ep-1");

        assertThat(recorded).isEqualTo(first);
        assertThat(item("ep-1").get("firstFailureAt")).isNull();
        assertThat(store.find("ep-1").orElseThrow().firstFailureAt()).isNull();
    }

    @Test
    void healthUpdates_areVisibleInTheCachedCopyAtOnce() {
        put(endpoint("ep-1", Set.of("*")));
        put(endpoint("ep-2", Set.of("*")));
        store.subscribedTo("order.paid", "");
        Instant since = Instant.parse("2026-11-29T20:00:00Z");

        store.markFailing("ep-1", since);
        Endpoint failing = store.subscribedTo("order.paid", "").stream().filter(e -> e.id().equals("ep-1"))
                .findFirst().orElseThrow();
        store.markFailing("ep-1", since.plusSeconds(60));
        Instant stillFirst = store.find("ep-1").orElseThrow().firstFailureAt();
        store.clearFailing("ep-1");
        Endpoint healthy = store.find("ep-1").orElseThrow();

        assertThat(failing.firstFailureAt()).isEqualTo(since);
        assertThat(stillFirst).isEqualTo(since);
        assertThat(healthy.firstFailureAt()).isNull();
        assertThat(store.find("ep-2").orElseThrow().firstFailureAt()).isNull();
    }
}
