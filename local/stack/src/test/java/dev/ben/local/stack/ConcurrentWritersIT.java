package dev.ben.local.stack;

import static dev.ben.local.stack.StreamTables.key;
import static dev.ben.local.stack.StreamTables.n;
import static dev.ben.local.stack.StreamTables.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

@ExtendWith(LocalAwsExtension.class)
class ConcurrentWritersIT {

    private static final int WRITERS = 12;
    private static final int WRITES_PER_WRITER = 40;
    private static final List<String> KEYS = List.of("k0", "k1", "k2");

    @Test
    void images_stayConsistent_underManyConcurrentWritersOfTheSameItems(LocalAws aws) throws Exception {
        String table = StreamTables.uniqueName("concurrent");
        StreamTables.create(aws, table, StreamViewType.NEW_AND_OLD_IMAGES, false);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> writers = new ArrayList<>();

        try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS)) {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    start.await();
                    int changes = 0;
                    for (int i = 0; i < WRITES_PER_WRITER; i++) {
                        changes += write(aws, table, writer, i);
                    }
                    return changes;
                }));
            }
            start.countDown();
            int expectedRecords = 0;
            for (Future<Integer> writer : writers) {
                expectedRecords += writer.get();
            }

            List<Record> records = StreamTables.readAll(aws, StreamTables.latestStreamArn(aws, table));
            assertThat(records).hasSize(expectedRecords);
            Map<String, Map<String, AttributeValue>> lastImage = new HashMap<>();
            for (Record record : records) {
                String pk = record.dynamodb().keys().get("pk").s();
                Map<String, AttributeValue> previous = lastImage.get(pk);
                if (previous == null) {
                    assertThat(record.eventName()).as("first record of %s", pk).isEqualTo(OperationType.INSERT);
                    assertThat(record.dynamodb().hasOldImage()).isFalse();
                } else {
                    assertThat(record.dynamodb().oldImage()).as("OldImage of %s equals the previous NewImage", pk)
                            .isEqualTo(previous);
                    assertThat(record.dynamodb().newImage()).isNotEqualTo(previous);
                }
                lastImage.put(pk, record.dynamodb().hasNewImage() ? record.dynamodb().newImage() : null);
            }
            for (String pk : KEYS) {
                Map<String, AttributeValue> current = aws.dynamoDb().getItem(r -> r.tableName(table).key(key(pk))
                        .consistentRead(true)).item();
                assertThat(lastImage.get(pk)).as("last NewImage of %s is the item", pk).isEqualTo(current);
            }
        }
    }

    /** One write of a random kind; returns 1 (every write here changes the item). */
    private static int write(LocalAws aws, String table, int writer, int i) {
        String pk = KEYS.get(ThreadLocalRandom.current().nextInt(KEYS.size()));
        String marker = writer + "-" + i;
        switch (ThreadLocalRandom.current().nextInt(3)) {
            case 0 -> aws.dynamoDb().putItem(r -> r.tableName(table)
                    .item(Map.of("pk", s(pk), "lastWriter", s(marker), "counter", n(0))));
            case 1 -> aws.dynamoDb().updateItem(r -> r.tableName(table).key(key(pk))
                    .updateExpression("SET lastWriter = :m ADD #c :one")
                    .expressionAttributeNames(Map.of("#c", "counter"))
                    .expressionAttributeValues(Map.of(":m", s(marker), ":one", n(1))));
            default -> aws.dynamoDb().batchWriteItem(r -> r.requestItems(Map.of(table, List.of(
                    WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", s(pk), "lastWriter", s(marker),
                            "counter", n(100)))).build()))));
        }
        return 1;
    }
}
