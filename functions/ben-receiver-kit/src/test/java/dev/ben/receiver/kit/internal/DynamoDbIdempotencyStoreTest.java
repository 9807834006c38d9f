package dev.ben.receiver.kit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.receiver.kit.WebhookResponse;
import dev.ben.receiver.kit.IdempotencyStore.BeginOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/**
 * The claim's races, which a real table produces only by chance: the record the condition failed on is gone or has
 * expired by the time it is read, or keeps changing. A scripted client answers; the IT covers the real conditions.
 */
class DynamoDbIdempotencyStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-29T23:00:00.250Z");

    /** Answers each PutItem with the next scripted outcome (null: success) and each GetItem with the next item. */
    private static final class RacingClient implements DynamoDbClient {
        final Deque<ConditionalCheckFailedException> puts = new ArrayDeque<>();
        final Deque<Map<String, AttributeValue>> reads = new ArrayDeque<>();
        final AtomicInteger putCalls = new AtomicInteger();
        final AtomicInteger getCalls = new AtomicInteger();

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            putCalls.incrementAndGet();
            ConditionalCheckFailedException failure = puts.isEmpty() ? null : puts.poll();
            if (failure != null) {
                throw failure;
            }
            return PutItemResponse.builder().build();
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            getCalls.incrementAndGet();
            return GetItemResponse.builder().item(reads.isEmpty() ? Map.of() : reads.poll()).build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private static ConditionalCheckFailedException heldBy(Map<String, AttributeValue> item) {
        return ConditionalCheckFailedException.builder().message("The conditional request failed").item(item).build();
    }

    private static ConditionalCheckFailedException heldWithoutItem() {
        return ConditionalCheckFailedException.builder().message("The conditional request failed").build();
    }

    private static Map<String, AttributeValue> inProgressUntil(Instant until, Instant expiresAt) {
        return Map.of("id", AttributeValue.fromS("evt_1"), "status", AttributeValue.fromS("IN_PROGRESS"),
                "leaseToken", AttributeValue.fromS("other"),
                "inProgressUntil", AttributeValue.fromN(Long.toString(until.toEpochMilli())),
                "expiresAt", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
    }

    private final RacingClient client = new RacingClient();
    private final DynamoDbIdempotencyStore store = new DynamoDbIdempotencyStore(client, "idempotency");

    private BeginOutcome begin() {
        return store.begin("evt_1", "", "mine", NOW, NOW.plusSeconds(30), NOW.plus(Duration.ofDays(7)));
    }

    @Test
    void begin_conditionFailedWithTheOldItem_usesItWithoutReading() {
        client.puts.add(heldBy(Map.of("id", AttributeValue.fromS("evt_1"), "status", AttributeValue.fromS("COMPLETED"),
                "expiresAt", AttributeValue.fromN(Long.toString(NOW.plus(Duration.ofDays(1)).getEpochSecond())),
                "responseStatus", AttributeValue.fromN("202"), "responseBody", AttributeValue.fromS("{}"))));

        BeginOutcome outcome = begin();

        assertThat(outcome).isEqualTo(new BeginOutcome.Completed(new WebhookResponse(202, "{}", Map.of())));
        assertThat(client.getCalls).hasValue(0);
    }

    @Test
    void begin_conditionFailedWithoutTheItem_readsIt() {
        client.puts.add(heldWithoutItem());
        client.reads.add(inProgressUntil(NOW.plusSeconds(12), NOW.plus(Duration.ofDays(7))));

        BeginOutcome outcome = begin();

        assertThat(outcome).isEqualTo(new BeginOutcome.HeldInProgress(NOW.plusSeconds(12)));
        assertThat(client.getCalls).hasValue(1);
    }

    @Test
    void begin_recordGoneWhenRead_claimsAgain() {
        client.puts.add(heldWithoutItem());
        client.reads.add(Map.of());

        BeginOutcome outcome = begin();

        assertThat(outcome).isEqualTo(new BeginOutcome.Acquired());
        assertThat(client.putCalls).hasValue(2);
    }

    @Test
    void begin_recordExpiredOrLeaseEndedWhenRead_claimsAgain() {
        client.puts.add(heldBy(inProgressUntil(NOW.plusSeconds(30), NOW.minusSeconds(1))));
        client.puts.add(heldBy(inProgressUntil(NOW.minusMillis(1), NOW.plus(Duration.ofDays(7)))));

        BeginOutcome outcome = begin();

        assertThat(outcome).isEqualTo(new BeginOutcome.Acquired());
        assertThat(client.putCalls).hasValue(3);
    }

    @Test
    void begin_recordLiveAtThisVeryMoment_isHeld() {
        client.puts.add(heldBy(inProgressUntil(NOW, Instant.ofEpochSecond(NOW.getEpochSecond()))));

        BeginOutcome outcome = begin();

        assertThat(outcome).isEqualTo(new BeginOutcome.HeldInProgress(NOW));
    }

    @Test
    void begin_recordKeepsChangingUnderUs_answersRetryablyAfterFourAttempts() {
        for (int i = 0; i < 10; i++) {
            client.puts.add(heldWithoutItem());
        }

        BeginOutcome outcome = begin();

        assertThat(outcome).isEqualTo(new BeginOutcome.HeldInProgress(NOW.plusSeconds(1)));
        assertThat(client.putCalls).hasValue(4);
        assertThat(client.getCalls).hasValue(4);
    }
}
