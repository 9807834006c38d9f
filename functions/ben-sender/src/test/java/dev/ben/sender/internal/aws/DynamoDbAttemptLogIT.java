package dev.ben.sender.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.model.Attempt;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
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

/** The attempt history on the local stack: batched writes beyond one BatchWriteItem, reads in order, TTL. */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbAttemptLogIT {

    private static final Instant T0 = Instant.parse("2026-11-29T22:00:00.250Z");
    private static final Duration RETENTION = Duration.ofDays(30);

    private static DynamoDbClient dynamoDb;
    private static String table;
    private static DynamoDbAttemptLog log;

    private final String deliveryId = "dlv_" + UUID.randomUUID();

    @BeforeAll
    static void provision(LocalAws aws) {
        var resources = aws.provision(BenSettings.own(), "att-");
        dynamoDb = aws.dynamoDb();
        table = resources.tableName(BenSettings.ATTEMPTS_TABLE);
        log = new DynamoDbAttemptLog(dynamoDb, table, RETENTION);
    }

    private Attempt attempt(int n) {
        return new Attempt(deliveryId, n, T0.plusSeconds(n), n % 2 == 0 ? 503 : 0, Duration.ofMillis(10 + n),
                n % 2 == 0 ? "HTTP 503" : "");
    }

    @Test
    void recordAll_writesMoreRowsThanOneBatchHolds_andListReadsThemInAttemptOrder() {
        List<Attempt> attempts = IntStream.rangeClosed(1, 30).mapToObj(this::attempt).toList();

        log.recordAll(attempts);

        assertThat(log.list(deliveryId)).containsExactlyElementsOf(attempts);
    }

    @Test
    void recordAll_exactlyTwoFullBatches_areWritten() {
        List<Attempt> attempts = IntStream.rangeClosed(1, 50).mapToObj(this::attempt).toList();

        log.recordAll(attempts);

        assertThat(log.list(deliveryId)).containsExactlyElementsOf(attempts);
    }

    @Test
    void record_writesOneRow_thatExpiresAfterTheRetention() {
        Attempt a = attempt(1);

        log.record(a);

        assertThat(log.list(deliveryId)).containsExactly(a);
        var item = dynamoDb.getItem(g -> g.tableName(table).consistentRead(true).key(Map.of(
                "deliveryId", AttributeValue.fromS(deliveryId), "attemptNumber", AttributeValue.fromN("1")))).item();
        assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(a.at().plus(RETENTION).getEpochSecond()));
        assertThat(item).doesNotContainKey("error");
    }

    @Test
    void list_ofADeliveryWithoutAttempts_isEmpty() {
        assertThat(log.list(deliveryId)).isEmpty();
    }
}
