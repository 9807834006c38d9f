package dev.ben.sender.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.model.Event;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.EventRecord;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The events table on the local stack: batched writes, every field read back, TTL beyond the retry window. */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbEventLogIT {

    private static final Instant T0 = Instant.parse("2026-11-29T22:00:00.250Z");
    private static final Duration RETENTION = Duration.ofDays(30);

    private static DynamoDbClient dynamoDb;
    private static String table;
    private static DynamoDbEventLog log;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void provision(LocalAws aws) {
        var resources = aws.provision(BenSettings.own(), "evt-");
        dynamoDb = aws.dynamoDb();
        table = resources.tableName(BenSettings.EVENTS_TABLE);
        log = new DynamoDbEventLog(dynamoDb, table, RETENTION);
    }

    @Test
    void recordAll_writesMoreItemsThanOneBatchHolds_andFindReadsEachBack() {
        List<EventRecord> events = IntStream.range(0, 30).mapToObj(i -> new EventRecord("evt_" + run + "_" + i,
                "invoice.Settled", "invoices", "tenant-a|" + i, "tenant-a", i, "40000000000000000000" + i,
                T0.plusSeconds(i), List.of("ep-a1", "ep-a2"))).toList();

        log.recordAll(events);

        assertThat(events).allSatisfy(e -> assertThat(log.find(e.eventId())).contains(e));
    }

    @Test
    void recordAll_exactlyOneFullBatch_isWritten() {
        List<EventRecord> events = IntStream.range(0, 25).mapToObj(i -> new EventRecord("evt_" + run + "_full" + i,
                "order.paid", "orders", "ord_" + i, "", 1, "", T0, List.of("ep-1"))).toList();

        log.recordAll(events);

        assertThat(events).allSatisfy(e -> assertThat(log.find(e.eventId())).contains(e));
    }

    @Test
    void versionlessTenantlessEventWithoutSourceOrSequence_roundTrips_andExpiresAfterItsDeliveries() {
        EventRecord bare = new EventRecord("evt_" + run + "_bare", "order.paid", "", "ord_1", "", Event.NO_VERSION, "",
                T0, List.of());

        log.recordAll(List.of(bare));

        assertThat(log.find(bare.eventId())).contains(bare);
        var item = dynamoDb.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of("eventId", AttributeValue.fromS(bare.eventId())))).item();
        assertThat(item).doesNotContainKeys("version", "tenantId", "source", "sequence");
        assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(
                T0.plus(RETENTION).plus(DynamoDbEventLog.RETRY_ALLOWANCE).getEpochSecond()));
    }

    @Test
    void find_unknownEvent_isEmpty() {
        assertThat(log.find("evt_unknown_" + run)).isEmpty();
    }
}
