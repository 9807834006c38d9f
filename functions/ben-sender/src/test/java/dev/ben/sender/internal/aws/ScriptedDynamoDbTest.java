package dev.ben.sender.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.core.model.Attempt;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Event;
import dev.ben.sender.internal.EventRecord;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.sender.testing.UnitRig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What DynamoDB does and the local stack does not: unprocessed batch items (throttling), scans in several pages,
 * an item vanishing between a failed condition and the read. A scripted client answers; the ITs cover the rest.
 */
class ScriptedDynamoDbTest {

    private static final Instant T0 = Instant.parse("2026-11-29T22:00:00Z");

    /** Answers BatchWriteItem, BatchGetItem and Scan by script; records the requests. */
    private static final class ScriptedClient implements DynamoDbClient {
        final List<BatchWriteItemRequest> writes = new ArrayList<>();
        final List<BatchGetItemRequest> gets = new ArrayList<>();
        final List<ScanRequest> scans = new ArrayList<>();
        Function<BatchWriteItemRequest, BatchWriteItemResponse> onWrite =
                r -> BatchWriteItemResponse.builder().build();
        Function<BatchGetItemRequest, BatchGetItemResponse> onGet = r -> BatchGetItemResponse.builder().build();
        Function<ScanRequest, ScanResponse> onScan = r -> ScanResponse.builder().build();

        @Override
        public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
            writes.add(request);
            return onWrite.apply(request);
        }

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            gets.add(request);
            return onGet.apply(request);
        }

        @Override
        public ScanResponse scan(ScanRequest request) {
            scans.add(request);
            return onScan.apply(request);
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            throw ConditionalCheckFailedException.builder().message("The conditional request failed").build();
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            return GetItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private final ScriptedClient client = new ScriptedClient();

    private static List<Attempt> attempts(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> new Attempt("dlv_1", i, T0, 503, Duration.ofMillis(5), ""))
                .toList();
    }

    /** Leaves the last item of each request unprocessed the first {@code times} times. */
    private static Function<BatchWriteItemRequest, BatchWriteItemResponse> leaveLastUnprocessed(int[] times) {
        return r -> {
            if (times[0]-- <= 0) {
                return BatchWriteItemResponse.builder().build();
            }
            Map.Entry<String, List<WriteRequest>> only = r.requestItems().entrySet().iterator().next();
            return BatchWriteItemResponse.builder().unprocessedItems(Map.of(only.getKey(),
                    List.of(only.getValue().getLast()))).build();
        };
    }

    @Test
    void attemptLog_writesFullBatchesOf25_andRetriesWhatWasLeftUnprocessed() {
        client.onWrite = leaveLastUnprocessed(new int[] {1});

        new DynamoDbAttemptLog(client, "ben-attempts", Duration.ofDays(30)).recordAll(attempts(50));

        assertThat(client.writes).extracting(w -> w.requestItems().get("ben-attempts").size())
                .containsExactly(25, 1, 25);
    }

    @Test
    void attemptLog_rowsStillUnprocessedAfterTenRounds_fail() {
        client.onWrite = leaveLastUnprocessed(new int[] {Integer.MAX_VALUE});
        DynamoDbAttemptLog log = new DynamoDbAttemptLog(client, "ben-attempts", Duration.ofDays(30));

        assertThatThrownBy(() -> log.recordAll(attempts(3))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after 10 rounds");
        assertThat(client.writes).hasSize(10);
    }

    @Test
    void eventLog_writesFullBatchesOf25_andRetriesWhatWasLeftUnprocessed_tenRoundsAtMost() {
        List<EventRecord> events = IntStream.range(0, 50).mapToObj(i -> new EventRecord("evt_" + i, "order.paid", "",
                "ord_" + i, "", Event.NO_VERSION, "", T0, List.of("ep-1"))).toList();
        client.onWrite = leaveLastUnprocessed(new int[] {1});
        DynamoDbEventLog log = new DynamoDbEventLog(client, "ben-events", Duration.ofDays(30));

        log.recordAll(events);
        List<Integer> sizes = client.writes.stream().map(w -> w.requestItems().get("ben-events").size()).toList();
        client.writes.clear();
        client.onWrite = leaveLastUnprocessed(new int[] {Integer.MAX_VALUE});

        assertThat(sizes).containsExactly(25, 1, 25);
        assertThatThrownBy(() -> log.recordAll(events.subList(0, 2))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after 10 rounds");
        assertThat(client.writes).hasSize(10);
    }

    @Test
    void deliveryStore_findAll_readsBatchesOf100_andRetriesUnprocessedKeys_tenRoundsAtMost() {
        DynamoDbDeliveryStore store = new DynamoDbDeliveryStore(client, "ben-deliveries", Duration.ofDays(30));
        Event e = Event.of("evt_1", "order.paid", "ord_1", T0, "{}");
        StoredDelivery d = StoredDelivery.of(e, Delivery.pending(e, "ep-1", T0), "");
        Map<String, AttributeValue> item = store.toItem(d);
        int[] unprocessedOnce = {1};
        client.onGet = r -> {
            KeysAndAttributes asked = r.requestItems().get("ben-deliveries");
            if (unprocessedOnce[0]-- > 0) {
                return BatchGetItemResponse.builder().unprocessedKeys(Map.of("ben-deliveries", asked)).build();
            }
            boolean hasD = asked.keys().stream().anyMatch(k -> k.get("deliveryId").s().equals(d.id()));
            return BatchGetItemResponse.builder().responses(Map.of("ben-deliveries", hasD ? List.of(item) : List.of()))
                    .build();
        };
        List<String> ids = new ArrayList<>(IntStream.range(0, 199).mapToObj(i -> "dlv_other" + i).toList());
        ids.add(d.id());

        Map<String, StoredDelivery> found = store.findAll(ids);
        List<Integer> sizes = client.gets.stream().map(g -> g.requestItems().get("ben-deliveries").keys().size())
                .toList();
        client.onGet = r -> BatchGetItemResponse.builder().unprocessedKeys(r.requestItems()).build();
        client.gets.clear();

        assertThat(found).containsOnlyKeys(d.id()).containsEntry(d.id(), d);
        assertThat(sizes).containsExactly(100, 100, 100);
        assertThatThrownBy(() -> store.findAll(List.of("dlv_x"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after 10 rounds");
        assertThat(client.gets).hasSize(10);
    }

    @Test
    void deliveryStore_createIfAbsent_deliveryThatExistsButCannotBeRead_isAnError() {
        DynamoDbDeliveryStore store = new DynamoDbDeliveryStore(client, "ben-deliveries", Duration.ofDays(30));
        Event e = Event.of("evt_1", "order.paid", "ord_1", T0, "{}");
        StoredDelivery d = StoredDelivery.of(e, Delivery.pending(e, "ep-1", T0), "");

        assertThatThrownBy(() -> store.createIfAbsent(d)).isInstanceOf(IllegalStateException.class)
                .hasMessage("delivery " + d.id() + " exists but cannot be read");
    }

    @Test
    void endpointStore_readsEveryPageOfTheScan() {
        Map<String, AttributeValue> first = DynamoDbEndpointStore.toItem(Endpoint.of("ep-1", "https://a.example.com/h",
                Set.of("*"), List.of(UnitRig.SECRET)));
        Map<String, AttributeValue> second = DynamoDbEndpointStore.toItem(Endpoint.of("ep-2",
                "https://b.example.com/h", Set.of("*"), List.of(UnitRig.SECRET)));
        client.onScan = r -> r.exclusiveStartKey() == null || r.exclusiveStartKey().isEmpty()
                ? ScanResponse.builder().items(first).lastEvaluatedKey(Map.of("endpointId", first.get("endpointId")))
                .build()
                : ScanResponse.builder().items(second).lastEvaluatedKey(Map.of()).build();
        UnitRig rig = new UnitRig();
        DynamoDbEndpointStore store = new DynamoDbEndpointStore(client, "ben-endpoints", rig.clock,
                Duration.ofSeconds(30), rig.telemetry);

        List<Endpoint> all = store.subscribedTo("order.paid", "");

        assertThat(all).extracting(Endpoint::id).containsExactly("ep-1", "ep-2");
        assertThat(client.scans).hasSize(2);
        assertThat(client.scans.getLast().exclusiveStartKey()).containsEntry("endpointId", first.get("endpointId"));
    }
}
