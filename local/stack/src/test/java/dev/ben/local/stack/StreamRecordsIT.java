package dev.ben.local.stack;

import static dev.ben.local.stack.StreamTables.key;
import static dev.ben.local.stack.StreamTables.n;
import static dev.ben.local.stack.StreamTables.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

@ExtendWith(LocalAwsExtension.class)
class StreamRecordsIT {

    private final LocalAws aws;
    private final DynamoDbClient dynamoDb;

    StreamRecordsIT(LocalAws aws) {
        this.aws = aws;
        this.dynamoDb = aws.dynamoDb();
    }

    @ParameterizedTest
    @EnumSource(value = StreamViewType.class, names = {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"})
    void everyWriteKind_producesOneRecordPerChangedItem_withImagesAsTheViewTypeSays(StreamViewType viewType) {
        String table = StreamTables.uniqueName("views-" + viewType.toString().toLowerCase());
        StreamTables.create(aws, table, viewType, false);
        Map<String, AttributeValue> a1 = Map.of("pk", s("a"), "status", s("PENDING"), "version", n(1));
        Map<String, AttributeValue> a2 = Map.of("pk", s("a"), "status", s("PAID"), "version", n(2));
        Map<String, AttributeValue> a3 = Map.of("pk", s("a"), "status", s("SHIPPED"), "version", n(3));
        Map<String, AttributeValue> b1 = Map.of("pk", s("b"), "status", s("PENDING"), "version", n(1));
        Map<String, AttributeValue> c1 = Map.of("pk", s("c"), "status", s("PAID"), "version", n(7));
        Map<String, AttributeValue> d1 = Map.of("pk", s("d"), "version", n(1));

        dynamoDb.putItem(r -> r.tableName(table).item(a1));                       // INSERT a
        dynamoDb.putItem(r -> r.tableName(table).item(a2));                       // MODIFY a (put)
        dynamoDb.updateItem(r -> r.tableName(table).key(key("a"))                // MODIFY a (update)
                .updateExpression("SET #s = :s, version = version + :one")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", s("SHIPPED"), ":one", n(1))));
        dynamoDb.updateItem(r -> r.tableName(table).key(key("d"))                // INSERT d (update)
                .updateExpression("SET version = :v").expressionAttributeValues(Map.of(":v", n(1))));
        dynamoDb.putItem(r -> r.tableName(table).item(b1));                       // INSERT b
        dynamoDb.deleteItem(r -> r.tableName(table).key(key("b")));               // REMOVE b (delete)
        dynamoDb.batchWriteItem(r -> r.requestItems(Map.of(table, List.of(       // INSERT c, REMOVE a (batch)
                WriteRequest.builder().putRequest(p -> p.item(c1)).build(),
                WriteRequest.builder().deleteRequest(d -> d.key(key("a"))).build()))));

        List<Record> records = StreamTables.readAll(aws, StreamTables.latestStreamArn(aws, table));
        assertThat(records).extracting(Record::eventName).containsExactly(OperationType.INSERT, OperationType.MODIFY,
                OperationType.MODIFY, OperationType.INSERT, OperationType.INSERT, OperationType.REMOVE,
                OperationType.INSERT, OperationType.REMOVE);
        assertThat(records).extracting(r -> r.dynamodb().keys().get("pk").s())
                .containsExactly("a", "a", "a", "d", "b", "b", "c", "a");
        assertImages(records.get(0), viewType, null, a1);
        assertImages(records.get(1), viewType, a1, a2);
        assertImages(records.get(2), viewType, a2, a3);
        assertImages(records.get(3), viewType, null, d1);
        assertImages(records.get(4), viewType, null, b1);
        assertImages(records.get(5), viewType, b1, null);
        assertImages(records.get(6), viewType, null, c1);
        assertImages(records.get(7), viewType, a3, null);
    }

    private static void assertImages(Record record, StreamViewType viewType, Map<String, AttributeValue> oldImage,
                                     Map<String, AttributeValue> newImage) {
        StreamRecord data = record.dynamodb();
        assertThat(data.streamViewType()).isEqualTo(viewType);
        boolean wantsNew = viewType == StreamViewType.NEW_IMAGE || viewType == StreamViewType.NEW_AND_OLD_IMAGES;
        boolean wantsOld = viewType == StreamViewType.OLD_IMAGE || viewType == StreamViewType.NEW_AND_OLD_IMAGES;
        assertThat(data.hasNewImage()).as("NewImage present").isEqualTo(wantsNew && newImage != null);
        assertThat(data.hasOldImage()).as("OldImage present").isEqualTo(wantsOld && oldImage != null);
        if (wantsNew && newImage != null) {
            assertThat(data.newImage()).isEqualTo(newImage);
        }
        if (wantsOld && oldImage != null) {
            assertThat(data.oldImage()).isEqualTo(oldImage);
        }
    }

    @Test
    void record_hasTheShapeAwsDocuments() {
        String table = StreamTables.uniqueName("shape");
        StreamTables.create(aws, table, StreamViewType.NEW_AND_OLD_IMAGES, true);
        Instant before = Instant.now().minusSeconds(1);

        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("k"), "sk", n(5), "payload", s("hello"))));
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("k"), "sk", n(6), "payload", s("again"))));

        List<Record> records = StreamTables.readAll(aws, StreamTables.latestStreamArn(aws, table));
        assertThat(records).hasSize(2);
        Record first = records.getFirst();
        assertThat(first.eventID()).matches("[0-9a-f]{32}");
        assertThat(first.eventVersion()).isEqualTo("1.1");
        assertThat(first.eventSource()).isEqualTo("aws:dynamodb");
        assertThat(first.awsRegion()).isEqualTo("us-east-1");
        assertThat(first.dynamodb().keys()).isEqualTo(Map.of("pk", s("k"), "sk", n(5)));
        assertThat(first.dynamodb().approximateCreationDateTime()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(first.dynamodb().sizeBytes()).isPositive();
        assertThat(first.dynamodb().sequenceNumber()).matches("[0-9]{21,40}");
        assertThat(new BigInteger(records.get(1).dynamodb().sequenceNumber()))
                .isGreaterThan(new BigInteger(first.dynamodb().sequenceNumber()));
        assertThat(records.get(1).eventID()).isNotEqualTo(first.eventID());
    }

    @Test
    void failedConditions_produceNoRecord() {
        String table = StreamTables.uniqueName("conditions");
        StreamTables.create(aws, table, StreamViewType.NEW_AND_OLD_IMAGES, false);
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("x"), "version", n(1))));

        assertThatThrownBy(() -> dynamoDb.putItem(r -> r.tableName(table)
                .item(Map.of("pk", s("x"), "version", n(2))).conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThatThrownBy(() -> dynamoDb.updateItem(r -> r.tableName(table).key(key("x"))
                .updateExpression("SET version = :v").conditionExpression("version = :expected")
                .expressionAttributeValues(Map.of(":v", n(3), ":expected", n(9)))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThatThrownBy(() -> dynamoDb.deleteItem(r -> r.tableName(table).key(key("x"))
                .conditionExpression("version = :expected").expressionAttributeValues(Map.of(":expected", n(9)))))
                .isInstanceOf(ConditionalCheckFailedException.class);

        List<Record> records = StreamTables.readAll(aws, StreamTables.latestStreamArn(aws, table));
        assertThat(records).extracting(Record::eventName).containsExactly(OperationType.INSERT);
    }

    @Test
    void writesThatChangeNothing_produceNoRecord() {
        String table = StreamTables.uniqueName("noop");
        StreamTables.create(aws, table, StreamViewType.NEW_AND_OLD_IMAGES, false);
        Map<String, AttributeValue> item = Map.of("pk", s("same"), "amount", n(10), "tags",
                AttributeValue.fromSs(List.of("x", "y")));
        dynamoDb.putItem(r -> r.tableName(table).item(item));

        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("same"), "amount", AttributeValue.fromN("10.0"),
                "tags", AttributeValue.fromSs(List.of("y", "x")))));
        dynamoDb.updateItem(r -> r.tableName(table).key(key("same")).updateExpression("SET amount = :a")
                .expressionAttributeValues(Map.of(":a", n(10))));
        dynamoDb.deleteItem(r -> r.tableName(table).key(key("never-existed")));
        dynamoDb.batchWriteItem(r -> r.requestItems(Map.of(table, List.of(
                WriteRequest.builder().putRequest(p -> p.item(item)).build(),
                WriteRequest.builder().deleteRequest(d -> d.key(key("also-never"))).build()))));

        assertThat(StreamTables.readAll(aws, StreamTables.latestStreamArn(aws, table)))
                .extracting(Record::eventName).containsExactly(OperationType.INSERT);
    }

    @Test
    void returnValues_areWhatTheClientAskedFor() {
        String table = StreamTables.uniqueName("returns");
        StreamTables.create(aws, table, StreamViewType.NEW_AND_OLD_IMAGES, false);
        Map<String, AttributeValue> v1 = Map.of("pk", s("r"), "a", n(1), "b", s("keep"));

        var put = dynamoDb.putItem(r -> r.tableName(table).item(v1));
        var putOld = dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("r"), "a", n(2), "b", s("keep")))
                .returnValues(ReturnValue.ALL_OLD));
        var update = dynamoDb.updateItem(r -> r.tableName(table).key(key("r")).updateExpression("SET a = :a")
                .expressionAttributeValues(Map.of(":a", n(3))));
        var updatedNew = dynamoDb.updateItem(r -> r.tableName(table).key(key("r")).updateExpression("SET a = :a")
                .expressionAttributeValues(Map.of(":a", n(4))).returnValues(ReturnValue.UPDATED_NEW));
        var updatedOld = dynamoDb.updateItem(r -> r.tableName(table).key(key("r")).updateExpression("SET a = :a")
                .expressionAttributeValues(Map.of(":a", n(5))).returnValues(ReturnValue.UPDATED_OLD));
        var delete = dynamoDb.deleteItem(r -> r.tableName(table).key(key("r")));

        assertThat(put.hasAttributes()).isFalse();
        assertThat(putOld.attributes()).isEqualTo(v1);
        assertThat(update.hasAttributes()).isFalse();
        assertThat(updatedNew.attributes()).isEqualTo(Map.of("a", n(4)));
        assertThat(updatedOld.attributes()).isEqualTo(Map.of("a", n(4)));
        assertThat(delete.hasAttributes()).isFalse();
        List<Record> records = StreamTables.readAll(aws, StreamTables.latestStreamArn(aws, table));
        assertThat(records).extracting(r -> r.dynamodb().hasNewImage() ? r.dynamodb().newImage().get("a").n() : "-")
                .containsExactly("1", "2", "3", "4", "5", "-");
        assertThat(records).extracting(r -> r.dynamodb().hasOldImage() ? r.dynamodb().oldImage().get("a").n() : "-")
                .containsExactly("-", "1", "2", "3", "4", "5");
    }

    @Test
    void numbersInImages_areNormalisedAsDynamoDbStoresThem() {
        String table = StreamTables.uniqueName("numbers");
        StreamTables.create(aws, table, StreamViewType.NEW_IMAGE, false);

        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("n"), "price", AttributeValue.fromN("12.50"))));

        Map<String, AttributeValue> stored = dynamoDb.getItem(r -> r.tableName(table).key(key("n")).consistentRead(true))
                .item();
        List<Record> records = StreamTables.readAll(aws, StreamTables.latestStreamArn(aws, table));
        assertThat(records.getFirst().dynamodb().newImage()).isEqualTo(stored);
        assertThat(stored.get("price").n()).isEqualTo("12.5");
    }

    @Test
    void tablesWithoutStream_haveNoStreamAndWritesStillWork() {
        String table = StreamTables.uniqueName("plain");
        TableDescription description = StreamTables.create(aws, table, null, false);

        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("p"))));

        assertThat(description.latestStreamArn()).isNull();
        assertThat(description.streamSpecification()).isNull();
        assertThat(aws.dynamoDbStreams().listStreams(r -> r.tableName(table)).streams()).isEmpty();
        assertThat(dynamoDb.getItem(r -> r.tableName(table).key(key("p")).consistentRead(true)).item())
                .isEqualTo(Map.of("pk", s("p")));
    }

    @Test
    void updateTable_enablesAndDisablesStreams_eachEnableOpensANewStream() {
        String table = StreamTables.uniqueName("toggle");
        StreamTables.create(aws, table, null, false);

        TableDescription enabled = dynamoDb.updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)))
                .tableDescription();
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("one"))));
        TableDescription disabled = dynamoDb.updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamEnabled(false))).tableDescription();
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("not-recorded"))));
        TableDescription again = dynamoDb.updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)))
                .tableDescription();
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("two"))));

        assertThat(enabled.streamSpecification().streamViewType()).isEqualTo(StreamViewType.KEYS_ONLY);
        assertThat(enabled.latestStreamLabel()).isNotNull();
        assertThat(enabled.latestStreamArn()).endsWith("/stream/" + enabled.latestStreamLabel());
        assertThat(disabled.streamSpecification()).isNull();
        assertThat(again.latestStreamArn()).isNotEqualTo(enabled.latestStreamArn());
        var first = aws.dynamoDbStreams().describeStream(r -> r.streamArn(enabled.latestStreamArn()))
                .streamDescription();
        assertThat(first.streamStatus()).isEqualTo(StreamStatus.DISABLED);
        assertThat(first.shards().getFirst().sequenceNumberRange().endingSequenceNumber()).isNotNull();
        assertThat(StreamTables.readAll(aws, enabled.latestStreamArn()))
                .extracting(r -> r.dynamodb().keys().get("pk").s()).containsExactly("one");
        assertThat(StreamTables.readAll(aws, again.latestStreamArn()))
                .extracting(r -> r.dynamodb().keys().get("pk").s()).containsExactly("two");
        assertThat(aws.dynamoDbStreams().listStreams(r -> r.tableName(table)).streams())
                .extracting(st -> st.streamArn())
                .containsExactly(enabled.latestStreamArn(), again.latestStreamArn());
        assertThat(dynamoDb.describeTable(r -> r.tableName(table)).table().streamSpecification().streamViewType())
                .isEqualTo(StreamViewType.NEW_IMAGE);
    }

    @Test
    void batchWrite_acrossStreamAndPlainTables_recordsOnlyTheStreamTable() {
        String streamed = StreamTables.uniqueName("batch-streamed");
        String plain = StreamTables.uniqueName("batch-plain");
        StreamTables.create(aws, streamed, StreamViewType.NEW_AND_OLD_IMAGES, false);
        StreamTables.create(aws, plain, null, false);
        Map<String, List<WriteRequest>> requests = new HashMap<>();
        requests.put(streamed, List.of(WriteRequest.builder().putRequest(p -> p.item(key("s1"))).build(),
                WriteRequest.builder().putRequest(p -> p.item(key("s2"))).build()));
        requests.put(plain, List.of(WriteRequest.builder().putRequest(p -> p.item(key("p1"))).build()));

        var response = dynamoDb.batchWriteItem(r -> r.requestItems(requests));

        assertThat(response.unprocessedItems()).isEmpty();
        assertThat(StreamTables.readAll(aws, StreamTables.latestStreamArn(aws, streamed)))
                .extracting(r -> r.dynamodb().keys().get("pk").s()).containsExactly("s1", "s2");
        assertThat(dynamoDb.getItem(r -> r.tableName(plain).key(key("p1")).consistentRead(true)).hasItem()).isTrue();
    }

    @Test
    void enablingAStreamOnATableWithItems_recordsTheirTrueOldImages() {
        String table = StreamTables.uniqueName("late-stream");
        StreamTables.create(aws, table, null, false);
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("old"), "v", n(1))));
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("gone"), "v", n(1))));

        dynamoDb.updateTable(r -> r.tableName(table)
                .streamSpecification(sp -> sp.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        dynamoDb.updateItem(r -> r.tableName(table).key(key("old")).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", n(2))));
        dynamoDb.batchWriteItem(r -> r.requestItems(Map.of(table, List.of(
                WriteRequest.builder().deleteRequest(d -> d.key(key("gone"))).build()))));

        List<Record> records = StreamTables.readAll(aws, StreamTables.latestStreamArn(aws, table));
        assertThat(records).extracting(Record::eventName).containsExactly(OperationType.MODIFY, OperationType.REMOVE);
        assertThat(records.get(0).dynamodb().oldImage()).isEqualTo(Map.of("pk", s("old"), "v", n(1)));
        assertThat(records.get(0).dynamodb().newImage()).isEqualTo(Map.of("pk", s("old"), "v", n(2)));
        assertThat(records.get(1).dynamodb().oldImage()).isEqualTo(Map.of("pk", s("gone"), "v", n(1)));
    }

    @Test
    void invalidWrites_areRejectedByDynamoDb_andProduceNoRecord() {
        String table = StreamTables.uniqueName("invalid");
        StreamTables.create(aws, table, StreamViewType.NEW_AND_OLD_IMAGES, false);

        assertThatThrownBy(() -> dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", s("x")))
                .returnValues(ReturnValue.ALL_NEW))).isInstanceOf(DynamoDbException.class);
        assertThatThrownBy(() -> dynamoDb.putItem(r -> r.tableName(table).item(Map.of("other", s("no key")))))
                .isInstanceOf(DynamoDbException.class);
        assertThatThrownBy(() -> dynamoDb.updateItem(r -> r.tableName(table).key(key("y"))
                .updateExpression("SET = broken"))).isInstanceOf(DynamoDbException.class);

        assertThat(StreamTables.readAll(aws, StreamTables.latestStreamArn(aws, table))).isEmpty();
    }
}
