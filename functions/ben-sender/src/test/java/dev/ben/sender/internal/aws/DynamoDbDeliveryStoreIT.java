package dev.ben.sender.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Event;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.DeliveryStore;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The deliveries table on the local stack (dynalite): conditional create and transitions, the sparse, sharded byDue
 * index the sweeper pages through, byEntity, keys-only index entries, batch reads, and every stored field read back.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbDeliveryStoreIT {

    private static final Instant T0 = Instant.parse("2026-11-29T22:00:00.123Z");
    private static final Duration RETENTION = Duration.ofDays(30);

    private static DynamoDbClient dynamoDb;
    private static String table;
    private static DynamoDbDeliveryStore store;

    /** Unique per test: entity ids and event ids never collide between tests sharing the table. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void provision(LocalAws aws) {
        var resources = aws.provision(BenSettings.own(), "dlv-");
        dynamoDb = aws.dynamoDb();
        table = resources.tableName(BenSettings.DELIVERIES_TABLE);
        store = new DynamoDbDeliveryStore(dynamoDb, table, RETENTION);
    }

    private Event event(String n) {
        return new Event("evt_" + run + "_" + n, "invoice.Settled", "invoices", "inv|" + run + "|" + n, "tenant-a", 7,
                "400000000000000000042", T0, "{\"n\":\"" + n + "\"}", "");
    }

    private StoredDelivery pending(String n) {
        Event e = event(n);
        return StoredDelivery.of(e, Delivery.pending(e, "ep-1", T0), "");
    }

    private Map<String, AttributeValue> item(String deliveryId) {
        return dynamoDb.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of("deliveryId", AttributeValue.fromS(deliveryId)))).item();
    }

    @Test
    void createIfAbsent_storesTheDelivery_andReadsBackEveryField() {
        StoredDelivery d = pending("a").with(pending("a").delivery(), "n1");

        var created = store.createIfAbsent(d);

        assertThat(created).isEmpty();
        assertThat(store.find(d.id())).contains(d);
    }

    @Test
    void createIfAbsent_existingDelivery_isReturnedUnchanged() {
        StoredDelivery first = pending("b");
        store.createIfAbsent(first);
        StoredDelivery other = first.with(first.delivery().withStatus(DeliveryStatus.DELIVERED, 1, null, 200, "",
                T0.plusSeconds(1)), "");

        var existing = store.createIfAbsent(other);

        assertThat(existing).contains(first);
        assertThat(store.find(first.id())).contains(first);
    }

    @Test
    void find_versionlessTenantlessDeliveryToAPerRecordUrl_roundTrips() {
        Event e = new Event("evt_" + run + "_url", "invoice.callback", "", "inv-" + run, "", Event.NO_VERSION, "", T0,
                "{}", "https://cb.example.com/x");
        StoredDelivery d = StoredDelivery.of(e, Delivery.pending(e, "ep_url_abc", T0), "https://cb.example.com/x");

        store.createIfAbsent(d);

        assertThat(store.find(d.id())).contains(d);
        assertThat(item(d.id())).doesNotContainKeys("version", "tenantId", "sequence");
    }

    @Test
    void find_unknownDelivery_isEmpty() {
        assertThat(store.find("dlv_unknown_" + run)).isEmpty();
    }

    @Test
    void createIfAbsent_terminalDelivery_expiresByTtlAndStaysOutOfTheOverdueIndex() {
        StoredDelivery p = pending("c");
        Instant failedAt = T0.plusSeconds(5);
        StoredDelivery failed = p.with(p.delivery().withStatus(DeliveryStatus.FAILED, 0, T0, 0, "payload too large",
                failedAt), "").withoutPayload();

        store.createIfAbsent(failed);

        var item = item(failed.id());
        assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(failedAt.plus(RETENTION).getEpochSecond()));
        assertThat(item).doesNotContainKeys("nextAttemptAt", "payload", "queueToken");
        assertThat(store.find(failed.id())).contains(failed);
    }

    @Test
    void transition_fromTheExpectedState_writesTheNextStateAndToken() {
        StoredDelivery p = pending("d");
        store.createIfAbsent(p);
        Delivery retrying = p.delivery().withStatus(DeliveryStatus.RETRYING, 1, T0.plusSeconds(15), 503, "HTTP 503",
                T0.plusSeconds(1));

        boolean moved = store.transition(p, retrying, "n1");

        assertThat(moved).isTrue();
        assertThat(store.find(p.id())).contains(p.with(retrying, "n1"));
    }

    @Test
    void transition_toATerminalState_dropsTheDueTimeAndTokenAndSetsTheExpiry() {
        StoredDelivery p = pending("e");
        store.createIfAbsent(p);
        Delivery retrying = p.delivery().withStatus(DeliveryStatus.RETRYING, 1, T0.plusSeconds(15), 503, "HTTP 503",
                T0.plusSeconds(1));
        store.transition(p, retrying, "n1");
        Instant deliveredAt = T0.plusSeconds(16);
        Delivery delivered = retrying.withStatus(DeliveryStatus.DELIVERED, 2, null, 204, "", deliveredAt);

        boolean moved = store.transition(p.with(retrying, "n1"), delivered, "");

        assertThat(moved).isTrue();
        var item = item(p.id());
        assertThat(item).doesNotContainKeys("nextAttemptAt", "queueToken", "lastError");
        assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(deliveredAt.plus(RETENTION).getEpochSecond()));
        assertThat(store.find(p.id())).contains(p.with(delivered, ""));
    }

    @Test
    void transition_fromAStaleState_isRefusedAndChangesNothing() {
        StoredDelivery p = pending("f");
        store.createIfAbsent(p);
        Delivery retrying = p.delivery().withStatus(DeliveryStatus.RETRYING, 1, T0.plusSeconds(15), 503, "HTTP 503",
                T0.plusSeconds(1));
        store.transition(p, retrying, "n1");
        StoredDelivery now = p.with(retrying, "n1");
        Delivery next = retrying.withStatus(DeliveryStatus.DELIVERED, 2, null, 200, "", T0.plusSeconds(20));

        boolean staleStatus = store.transition(p.with(p.delivery().withStatus(DeliveryStatus.PENDING, 1, T0, 0, "",
                T0), "n1"), next, "");
        boolean staleAttempts = store.transition(now.with(retrying.withStatus(DeliveryStatus.RETRYING, 2,
                T0.plusSeconds(15), 503, "", T0), "n1"), next, "");
        boolean staleToken = store.transition(now.with(retrying, "s-sweeper"), next, "");
        boolean noToken = store.transition(now.with(retrying, ""), next, "");

        assertThat(List.of(staleStatus, staleAttempts, staleToken, noToken)).containsOnly(false);
        assertThat(store.find(p.id())).contains(now);
    }

    @Test
    void transition_fromATokenlessState_requiresThatNoTokenWasSetMeanwhile() {
        StoredDelivery p = pending("g");
        store.createIfAbsent(p);
        Delivery next = p.delivery().withStatus(DeliveryStatus.RETRYING, 1, T0.plusSeconds(15), 503, "HTTP 503",
                T0.plusSeconds(1));
        store.transition(p, p.delivery(), "s-sweeper");

        boolean moved = store.transition(p, next, "n1");

        assertThat(moved).isFalse();
        assertThat(store.find(p.id()).orElseThrow().queueToken()).isEqualTo("s-sweeper");
    }

    @Test
    void findAll_readsMoreThanOneBatch_ignoringUnknownAndRepeatedIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 105; i++) {
            StoredDelivery d = pending("all" + i);
            store.createIfAbsent(d);
            ids.add(d.id());
        }
        List<String> asked = new ArrayList<>(ids);
        asked.add(ids.getFirst());
        asked.add("dlv_unknown_" + run);

        Map<String, StoredDelivery> found = store.findAll(asked);

        assertThat(found).hasSize(105).containsOnlyKeys(ids);
        assertThat(found.get(ids.get(104))).isEqualTo(pending("all104"));
    }

    @Test
    void findAll_exactlyOneFullBatch_isRead() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            StoredDelivery d = pending("hundred" + i);
            store.createIfAbsent(d);
            ids.add(d.id());
        }

        assertThat(store.findAll(ids)).hasSize(100).containsOnlyKeys(ids);
    }

    @Test
    void overdue_pagesThroughLiveDeliveriesOfAStatusDueBeforeTheTime_everyShardInTurn() {
        String entity = "overdue-" + run;
        Instant base = Instant.parse("2031-01-01T00:00:00Z").plusSeconds(Math.abs(run.hashCode() % 100_000) * 10L);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Event e = new Event("evt_" + run + "_o" + i, "order.paid", "orders", entity, "", 1, "", T0, "{}", "");
            StoredDelivery p = StoredDelivery.of(e, Delivery.pending(e, "ep-1", T0), "");
            store.createIfAbsent(p);
            store.transition(p, p.delivery().withStatus(DeliveryStatus.RETRYING, 1, base.plusSeconds(i), 503, "",
                    T0), "n1");
            expected.add(p.id());
        }
        Event late = new Event("evt_" + run + "_late", "order.paid", "orders", entity, "", 1, "", T0, "{}", "");
        StoredDelivery notYet = StoredDelivery.of(late, Delivery.pending(late, "ep-1", T0), "");
        store.createIfAbsent(notYet);
        store.transition(notYet, notYet.delivery().withStatus(DeliveryStatus.RETRYING, 1, base.plusSeconds(5), 503,
                "", T0), "n1");

        List<String> seen = new ArrayList<>();
        int pages = 0;
        Map<String, String> cursor = Map.of();
        do {
            DeliveryStore.Page page = store.overdue(DeliveryStatus.RETRYING, base.plusSeconds(5), 2, cursor);
            page.items().stream().filter(d -> d.delivery().entityId().equals(entity)).forEach(d -> seen.add(d.id()));
            cursor = page.next();
            pages++;
        } while (!cursor.isEmpty() && pages < 1000);

        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected).doesNotContain(notYet.id());
        assertThat(store.overdue(DeliveryStatus.PENDING, base.plusSeconds(5), 100, Map.of()).items())
                .noneMatch(d -> d.delivery().entityId().equals(entity));
    }

    @Test
    void byEntity_listsAnEntitysDeliveriesNewestFirst_upToTheLimit() {
        String entity = "entity-" + run;
        List<String> oldestFirst = IntStream.range(0, 3).mapToObj(i -> {
            Event e = new Event("evt_" + run + "_e" + i, "order.paid", "orders", entity, "", i, "", T0, "{}", "");
            StoredDelivery d = StoredDelivery.of(e, Delivery.pending(e, "ep-1", T0.plusSeconds(i)), "");
            store.createIfAbsent(d);
            return d.id();
        }).toList();

        List<StoredDelivery> newest = store.byEntity(entity, 2);

        assertThat(newest).extracting(StoredDelivery::id).containsExactly(oldestFirst.get(2), oldestFirst.get(1));
    }

    @Test
    void liveDeliveries_carryTheirStatusShard_spreadOverTheShards_andLoseItWhenTerminal() {
        List<StoredDelivery> created = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            StoredDelivery d = pending("shard" + i);
            store.createIfAbsent(d);
            created.add(d);
        }
        StoredDelivery first = created.getFirst();
        Delivery retrying = first.delivery().withStatus(DeliveryStatus.RETRYING, 1, T0.plusSeconds(15), 503, "",
                T0.plusSeconds(1));
        store.transition(first, retrying, "n1");
        StoredDelivery second = created.get(1);
        store.transition(second, second.delivery().withStatus(DeliveryStatus.DELIVERED, 1, null, 200, "",
                T0.plusSeconds(1)), "");

        List<String> shards = created.stream().skip(2).map(d -> item(d.id()).get(DueShards.ATTRIBUTE).s()).toList();

        assertThat(shards).allMatch(k -> k.matches("PENDING#(0[0-9]|1[0-5])"));
        assertThat(shards.stream().distinct().count()).as("64 deliveries over 16 shards").isGreaterThan(8);
        assertThat(item(first.id()).get(DueShards.ATTRIBUTE).s()).isEqualTo(DueShards.of(retrying));
        assertThat(item(second.id())).doesNotContainKeys(DueShards.ATTRIBUTE, "nextAttemptAt");
    }

    @Test
    void indexEntries_holdOnlyKeys_noPayloadOrState() {
        StoredDelivery d = pending("keys");
        store.createIfAbsent(d);

        var entries = dynamoDb.query(q -> q.tableName(table).indexName(DynamoDbDeliveryStore.BY_ENTITY)
                .keyConditionExpression("entityId = :e")
                .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(d.delivery().entityId())))).items();

        assertThat(entries).singleElement().satisfies(entry ->
                assertThat(entry.keySet()).containsExactlyInAnyOrder("deliveryId", "entityId", "createdAt"));
        assertThat(store.byEntity(d.delivery().entityId(), 10)).containsExactly(d);
    }

    /** A delivery of a fresh event to {@code endpointId}, created PENDING and then parked until {@code until}. */
    private StoredDelivery parkedAt(String endpointId, String n, Instant until) {
        Event e = event(n);
        StoredDelivery p = StoredDelivery.of(e, Delivery.pending(e, endpointId, T0), "");
        store.createIfAbsent(p);
        Delivery parked = p.delivery().park(until, "parked: circuit open", T0.plusSeconds(1));
        assertThat(store.transition(p, parked, "")).isTrue();
        return p.with(parked, "");
    }

    /** Every page of the endpoint's parked deliveries, {@code limit} at a time; ids in the order read. */
    private List<String> allParked(String endpointId, int limit) {
        return allPages(cursor -> store.parked(endpointId, limit, cursor), endpointId);
    }

    /** Every page of overdue deliveries of a status, due before a time far ahead: ids of {@code endpointId}. */
    private List<String> allOverdue(DeliveryStatus status, String endpointId) {
        return allPages(cursor -> store.overdue(status, Instant.parse("2100-01-01T00:00:00Z"), 100, cursor),
                endpointId);
    }

    /** The ids of {@code endpointId}'s deliveries on every page, in the order read. */
    private static List<String> allPages(Function<Map<String, String>, DeliveryStore.Page> read, String endpointId) {
        List<String> ids = new ArrayList<>();
        Map<String, String> cursor = Map.of();
        int pages = 0;
        do {
            DeliveryStore.Page page = read.apply(cursor);
            page.items().stream().filter(d -> d.delivery().endpointId().equals(endpointId)).forEach(d -> ids.add(d.id()));
            cursor = page.next();
            pages++;
        } while (!cursor.isEmpty() && pages < 1000);
        return ids;
    }

    @Test
    void park_storesTheFlag_keyedByItsEndpointOutsideEveryStatusShard_andReadsItBack() {
        String endpoint = "ep-park-" + run;

        StoredDelivery parked = parkedAt(endpoint, "p", T0.plusSeconds(30));

        var item = item(parked.id());
        assertThat(item.get("parked").bool()).isTrue();
        assertThat(item.get(DueShards.ATTRIBUTE).s()).isEqualTo("PARKED#" + endpoint);
        assertThat(item).doesNotContainKey("queueToken");
        assertThat(store.find(parked.id())).contains(parked);
        assertThat(store.find(parked.id()).orElseThrow().delivery().parked()).isTrue();
    }

    @Test
    void createIfAbsent_aParkedDelivery_isStoredParked() {
        String endpoint = "ep-park-" + run;
        Event e = event("fast");
        StoredDelivery parked = StoredDelivery.of(e, Delivery.pending(e, endpoint, T0)
                .park(T0.plusSeconds(30), "parked: circuit open", T0), "");

        store.createIfAbsent(parked);

        assertThat(item(parked.id()).get(DueShards.ATTRIBUTE).s()).isEqualTo("PARKED#" + endpoint);
        assertThat(store.find(parked.id())).contains(parked);
        assertThat(allParked(endpoint, 10)).containsExactly(parked.id());
    }

    @Test
    void overdue_neverReturnsAParkedDelivery_howeverLongOverdue() {
        String endpoint = "ep-park-" + run;
        parkedAt(endpoint, "old1", T0.minusSeconds(3600));
        parkedAt(endpoint, "old2", T0);

        assertThat(allOverdue(DeliveryStatus.RETRYING, endpoint)).isEmpty();
        assertThat(allOverdue(DeliveryStatus.PENDING, endpoint)).isEmpty();
    }

    @Test
    void parked_listsOnlyThatEndpointsParkedDeliveries_oldestFirst_pageByPage() {
        String endpoint = "ep-park-" + run;
        StoredDelivery third = parkedAt(endpoint, "c", T0.plusSeconds(30));
        StoredDelivery first = parkedAt(endpoint, "a", T0.plusSeconds(10));
        StoredDelivery fifth = parkedAt(endpoint, "e", T0.plusSeconds(50));
        StoredDelivery second = parkedAt(endpoint, "b", T0.plusSeconds(20));
        StoredDelivery fourth = parkedAt(endpoint, "d", T0.plusSeconds(40));
        parkedAt("ep-other-" + run, "x", T0);
        StoredDelivery waiting = StoredDelivery.of(event("w"), Delivery.pending(event("w"), endpoint, T0), "");
        store.createIfAbsent(waiting);

        List<String> twoAtATime = allParked(endpoint, 2);
        DeliveryStore.Page firstPage = store.parked(endpoint, 2, Map.of());

        assertThat(twoAtATime).containsExactly(first.id(), second.id(), third.id(), fourth.id(), fifth.id())
                .doesNotContain(waiting.id());
        assertThat(firstPage.items()).extracting(StoredDelivery::id).containsExactly(first.id(), second.id());
        assertThat(firstPage.next()).isNotEmpty();
        assertThat(allParked("ep-nobody-" + run, 2)).isEmpty();
    }

    @Test
    void transition_backToRetrying_unparks_leavesParked_andIsOverdueAgain() {
        String endpoint = "ep-park-" + run;
        StoredDelivery parked = parkedAt(endpoint, "r", T0.plusSeconds(30));
        Instant releasedAt = T0.plusSeconds(31);
        Delivery d = parked.delivery();

        boolean released = store.transition(parked, d.withStatus(DeliveryStatus.RETRYING, d.attempts(), releasedAt,
                d.lastStatusCode(), d.lastError(), releasedAt), "s1");

        assertThat(released).isTrue();
        assertThat(item(parked.id())).doesNotContainKey("parked");
        assertThat(item(parked.id()).get(DueShards.ATTRIBUTE).s()).matches("RETRYING#(0[0-9]|1[0-5])");
        assertThat(store.find(parked.id()).orElseThrow().delivery().parked()).isFalse();
        assertThat(allParked(endpoint, 10)).isEmpty();
        assertThat(allOverdue(DeliveryStatus.RETRYING, endpoint)).containsExactly(parked.id());
    }

    @Test
    void transition_expectingItUnparked_isRefusedWhileItIsParked() {
        StoredDelivery parked = parkedAt("ep-park-" + run, "s", T0.plusSeconds(30));
        Delivery d = parked.delivery();
        StoredDelivery staleView = parked.with(d.withStatus(DeliveryStatus.RETRYING, d.attempts(), d.nextAttemptAt(),
                d.lastStatusCode(), d.lastError(), d.updatedAt()), "");

        boolean moved = store.transition(staleView, d.withStatus(DeliveryStatus.DELIVERED, 1, null, 200, "",
                T0.plusSeconds(40)), "");

        assertThat(moved).isFalse();
        assertThat(store.find(parked.id())).contains(parked);
    }
}
