package dev.ben.receiver.kit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.receiver.kit.WebhookResponse;
import dev.ben.receiver.kit.IdempotencyStore.BeginOutcome;
import dev.ben.settings.BenSettings;
import dev.ben.settings.TableSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB idempotency store on the local stack (dynalite): the claim, lease, completion and release rules as
 * conditional writes on the receiver's idempotency table, and the item they leave (TTL on {@code expiresAt}).
 * Time is whatever the caller passes, so leases and expiries are tested to the millisecond without waiting.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbIdempotencyStoreIT {

    private static final Instant T0 = Instant.parse("2026-11-29T23:00:00.250Z");
    private static final Instant LEASE_END = T0.plusSeconds(30);
    private static final Instant EXPIRES = T0.plus(Duration.ofDays(7));

    /** A receiver's own idempotency table, as the kit documents it. */
    private static final BenSettings IDEMPOTENCY_TABLE = new BenSettings(List.of(
            new TableSpec("idempotency", "IDEMPOTENCY_TABLE", "id", "", "", "expiresAt", List.of(), List.of())),
            List.of(), List.of());

    private DynamoDbClient dynamoDb;
    private String table;
    private DynamoDbIdempotencyStore store;
    private final String key = "evt_" + UUID.randomUUID();

    @BeforeEach
    void provision(LocalAws aws) {
        var resources = aws.provision(IDEMPOTENCY_TABLE, "idem-");
        dynamoDb = aws.dynamoDb();
        table = resources.tableName("idempotency");
        store = new DynamoDbIdempotencyStore(dynamoDb, table);
    }

    private Map<String, AttributeValue> item() {
        return dynamoDb.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(key)))).item();
    }

    private static WebhookResponse created() {
        return new WebhookResponse(201, "{\"applied\":true}", Map.of("content-type", "application/json",
                "x-receiver", "b"));
    }

    @Test
    void begin_absentKey_claimsIt_withAnInProgressRecordThatExpiresByTtl() {
        BeginOutcome outcome = store.begin(key, "", "lease-a", T0, LEASE_END, EXPIRES);

        assertThat(outcome).isEqualTo(new BeginOutcome.Acquired());
        Map<String, AttributeValue> item = item();
        assertThat(item.get("status").s()).isEqualTo("IN_PROGRESS");
        assertThat(item.get("leaseToken").s()).isEqualTo("lease-a");
        assertThat(item.get("inProgressUntil").n()).isEqualTo(Long.toString(LEASE_END.toEpochMilli()));
        assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(EXPIRES.getEpochSecond()));
        assertThat(item.get("startedAt").s()).isEqualTo(T0.toString());
    }

    @Test
    void begin_whileAnotherLeaseIsLive_isHeldUntilThatLeaseEnds_toTheMillisecond() {
        store.begin(key, "", "lease-a", T0, LEASE_END, EXPIRES);

        BeginOutcome meanwhile = store.begin(key, "", "lease-b", T0.plusSeconds(10), T0.plusSeconds(40), EXPIRES);
        BeginOutcome atTheEnd = store.begin(key, "", "lease-b", LEASE_END, LEASE_END.plusSeconds(30), EXPIRES);

        assertThat(meanwhile).isEqualTo(new BeginOutcome.HeldInProgress(LEASE_END));
        assertThat(atTheEnd).isEqualTo(new BeginOutcome.HeldInProgress(LEASE_END));
        assertThat(item().get("leaseToken").s()).isEqualTo("lease-a");
    }

    @Test
    void begin_afterTheLeaseEnded_takesTheClaimOver() {
        store.begin(key, "", "lease-a", T0, LEASE_END, EXPIRES);
        Instant justAfter = LEASE_END.plusMillis(1);

        BeginOutcome outcome = store.begin(key, "", "lease-b", justAfter, justAfter.plusSeconds(30), EXPIRES);

        assertThat(outcome).isEqualTo(new BeginOutcome.Acquired());
        assertThat(item().get("leaseToken").s()).isEqualTo("lease-b");
        assertThat(store.complete(key, "lease-a", created(), justAfter, EXPIRES)).isFalse();
    }

    @Test
    void complete_withTheLease_storesTheResponseForDuplicates_andDropsTheLease() {
        store.begin(key, "", "lease-a", T0, LEASE_END, EXPIRES);
        Instant done = T0.plusSeconds(2);
        Instant keepUntil = done.plus(Duration.ofDays(7));

        boolean completed = store.complete(key, "lease-a", created(), done, keepUntil);
        BeginOutcome duplicate = store.begin(key, "", "lease-b", done.plusSeconds(60), done.plusSeconds(90), keepUntil);

        assertThat(completed).isTrue();
        assertThat(duplicate).isEqualTo(new BeginOutcome.Completed(created()));
        Map<String, AttributeValue> item = item();
        assertThat(item.get("status").s()).isEqualTo("COMPLETED");
        assertThat(item).doesNotContainKey("inProgressUntil");
        assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(keepUntil.getEpochSecond()));
        assertThat(item.get("completedAt").s()).isEqualTo(done.toString());
    }

    @Test
    void complete_responseWithoutHeaders_isReplayedWithoutHeaders() {
        store.begin(key, "", "lease-a", T0, LEASE_END, EXPIRES);
        store.complete(key, "lease-a", WebhookResponse.noContent(), T0, EXPIRES);

        BeginOutcome duplicate = store.begin(key, "", "lease-b", T0.plusSeconds(1), LEASE_END, EXPIRES);

        assertThat(duplicate).isEqualTo(new BeginOutcome.Completed(WebhookResponse.noContent()));
    }

    @Test
    void begin_onCompletedRecord_replaysUntilItsExpirySecond_thenClaimsAgainBeforeTtlDeletesIt() {
        store.begin(key, "", "lease-a", T0, LEASE_END, EXPIRES);
        store.complete(key, "lease-a", created(), T0, EXPIRES);
        Instant lastSecond = Instant.ofEpochSecond(EXPIRES.getEpochSecond()).plusMillis(999);
        Instant expired = Instant.ofEpochSecond(EXPIRES.getEpochSecond() + 1);

        BeginOutcome inTheLastSecond = store.begin(key, "", "lease-b", lastSecond, lastSecond.plusSeconds(30),
                lastSecond.plus(Duration.ofDays(7)));
        BeginOutcome afterExpiry = store.begin(key, "", "lease-c", expired, expired.plusSeconds(30),
                expired.plus(Duration.ofDays(7)));

        assertThat(inTheLastSecond).isEqualTo(new BeginOutcome.Completed(created()));
        assertThat(afterExpiry).isEqualTo(new BeginOutcome.Acquired());
        assertThat(item().get("status").s()).isEqualTo("IN_PROGRESS");
        assertThat(item().get("leaseToken").s()).isEqualTo("lease-c");
    }

    @Test
    void complete_afterTheLeaseWasTakenOver_isRefused_andTheNewOwnersClaimStays() {
        store.begin(key, "", "lease-a", T0, LEASE_END, EXPIRES);
        Instant later = LEASE_END.plusSeconds(1);
        store.begin(key, "", "lease-b", later, later.plusSeconds(30), EXPIRES);

        boolean completed = store.complete(key, "lease-a", created(), later, EXPIRES);

        assertThat(completed).isFalse();
        assertThat(item().get("status").s()).isEqualTo("IN_PROGRESS");
        assertThat(item().get("leaseToken").s()).isEqualTo("lease-b");
    }

    @Test
    void complete_bodyUpToTheCap_isStored_aLargerOneIsRefused_notStoredEmpty() {
        String atCap = "a".repeat(DynamoDbIdempotencyStore.MAX_STORED_BODY_BYTES);
        String overCap = "\u00e9".repeat(DynamoDbIdempotencyStore.MAX_STORED_BODY_BYTES / 2 + 1);
        String otherKey = key + "-large";
        store.begin(key, "", "lease-a", T0, LEASE_END, EXPIRES);
        store.begin(otherKey, "", "lease-a", T0, LEASE_END, EXPIRES);

        store.complete(key, "lease-a", new WebhookResponse(200, atCap, Map.of("x-receiver", "b")), T0, EXPIRES);

        assertThat(overCap.length()).isLessThan(DynamoDbIdempotencyStore.MAX_STORED_BODY_BYTES);
        assertThatThrownBy(() -> store.complete(otherKey, "lease-a", new WebhookResponse(200, overCap, Map.of()), T0,
                EXPIRES)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length and hash");
        assertThat(store.begin(key, "", "lease-b", T0.plusSeconds(1), LEASE_END, EXPIRES))
                .isEqualTo(new BeginOutcome.Completed(new WebhookResponse(200, atCap, Map.of("x-receiver", "b"))));
        assertThat(store.begin(otherKey, "", "lease-b", T0.plusSeconds(1), LEASE_END, EXPIRES))
                .isInstanceOf(BeginOutcome.HeldInProgress.class);
    }

    @Test
    void begin_storesThePayloadHash_andReturnsItWithTheHeldOrCompletedRecord() {
        store.begin(key, "sha256:abc", "lease-a", T0, LEASE_END, EXPIRES);

        BeginOutcome held = store.begin(key, "sha256:other", "lease-b", T0.plusSeconds(1), LEASE_END, EXPIRES);
        store.complete(key, "lease-a", WebhookResponse.noContent(), T0.plusSeconds(2), EXPIRES);
        BeginOutcome completed = store.begin(key, "", "lease-c", T0.plusSeconds(3), LEASE_END, EXPIRES);

        assertThat(item().get("payloadHash").s()).isEqualTo("sha256:abc");
        assertThat(held).isEqualTo(new BeginOutcome.HeldInProgress(LEASE_END, "sha256:abc"));
        assertThat(completed).isEqualTo(new BeginOutcome.Completed(WebhookResponse.noContent(), "sha256:abc"));
    }

    @Test
    void begin_withoutPayloadHash_storesNone() {
        store.begin(key, "", "lease-a", T0, LEASE_END, EXPIRES);

        assertThat(item()).doesNotContainKey("payloadHash");
    }


    @Test
    void release_withTheLease_deletesTheClaim_soTheNextAttemptRunsAtOnce() {
        store.begin(key, "", "lease-a", T0, LEASE_END, EXPIRES);

        store.release(key, "lease-a");

        assertThat(item()).isEmpty();
        assertThat(store.begin(key, "", "lease-b", T0.plusSeconds(1), LEASE_END, EXPIRES))
                .isEqualTo(new BeginOutcome.Acquired());
    }

    @Test
    void release_withoutTheLease_leavesTheOwnersClaimAndCompletedRecordsAlone() {
        String completedKey = key + "-done";
        store.begin(key, "", "lease-b", T0, LEASE_END, EXPIRES);
        store.begin(completedKey, "", "lease-a", T0, LEASE_END, EXPIRES);
        store.complete(completedKey, "lease-a", created(), T0, EXPIRES);

        store.release(key, "lease-a");
        store.release(completedKey, "lease-a");

        assertThat(store.begin(key, "", "lease-c", T0.plusSeconds(1), LEASE_END, EXPIRES))
                .isEqualTo(new BeginOutcome.HeldInProgress(LEASE_END));
        assertThat(store.begin(completedKey, "", "lease-c", T0.plusSeconds(1), LEASE_END, EXPIRES))
                .isEqualTo(new BeginOutcome.Completed(created()));
    }
}
