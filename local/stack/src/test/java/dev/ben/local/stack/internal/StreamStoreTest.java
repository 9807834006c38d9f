package dev.ben.local.stack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StreamStoreTest {

    private static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/orders";

    private final ObjectMapper json = new ObjectMapper();
    private Instant now = Instant.parse("2026-01-01T10:00:00.123Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final StreamStore store = new StreamStore(clock, "us-east-1");

    private ObjectNode node(String text) throws Exception {
        return (ObjectNode) json.readTree(text);
    }

    private StreamStore.ActiveStream enable(String viewType) throws Exception {
        store.enable("orders", TABLE_ARN, (ArrayNode) json.readTree(
                "[{\"AttributeName\":\"orderId\",\"KeyType\":\"HASH\"}]"), viewType);
        return store.activeStream("orders");
    }

    private JsonNode records(String iteratorType) throws Exception {
        String arn = store.activeStream("orders").arn();
        String shard = store.describeStream(node("{\"StreamArn\":\"" + arn + "\"}"))
                .path("StreamDescription").path("Shards").get(0).path("ShardId").asText();
        String iterator = store.getShardIterator(node("{\"StreamArn\":\"" + arn + "\",\"ShardId\":\"" + shard
                + "\",\"ShardIteratorType\":\"" + iteratorType + "\"}")).path("ShardIterator").asText();
        return store.getRecords(node("{\"ShardIterator\":\"" + iterator + "\"}")).path("Records");
    }

    @Test
    void enable_namesTheStreamAfterItsCreationTime() throws Exception {
        StreamStore.ActiveStream stream = enable("NEW_IMAGE");

        assertThat(stream.arn()).isEqualTo(TABLE_ARN + "/stream/2026-01-01T10:00:00.123");
        ObjectNode table = node("{\"TableName\":\"orders\"}");
        store.describeInto("orders", table);
        assertThat(table.path("LatestStreamLabel").asText()).isEqualTo("2026-01-01T10:00:00.123");
        assertThat(table.path("StreamSpecification").path("StreamViewType").asText()).isEqualTo("NEW_IMAGE");
    }

    @Test
    void append_decidesTheEventName_andSkipsUnchangedItems() throws Exception {
        StreamStore.ActiveStream stream = enable("NEW_AND_OLD_IMAGES");
        ObjectNode key = node("{\"orderId\":{\"S\":\"o1\"}}");
        ObjectNode v1 = node("{\"orderId\":{\"S\":\"o1\"},\"n\":{\"N\":\"1\"}}");
        ObjectNode v2 = node("{\"orderId\":{\"S\":\"o1\"},\"n\":{\"N\":\"2\"}}");

        String insert = store.append(stream, key, null, v1);
        String unchanged = store.append(stream, key, v1, v1.deepCopy());
        String modify = store.append(stream, key, v1, v2);
        String remove = store.append(stream, key, v2, null);
        String nothing = store.append(stream, key, null, null);

        assertThat(unchanged).isNull();
        assertThat(nothing).isNull();
        assertThat(insert).hasSize(21);
        assertThat(modify).isGreaterThan(insert);
        assertThat(remove).isGreaterThan(modify);
        assertThat(records("TRIM_HORIZON")).extracting(r -> r.path("eventName").asText())
                .containsExactly("INSERT", "MODIFY", "REMOVE");
    }

    @Test
    void keysOnlyRecords_carryNoImages() throws Exception {
        StreamStore.ActiveStream stream = enable("KEYS_ONLY");

        store.append(stream, node("{\"orderId\":{\"S\":\"o1\"}}"), null, node("{\"orderId\":{\"S\":\"o1\"}}"));

        JsonNode data = records("TRIM_HORIZON").get(0).path("dynamodb");
        assertThat(data.has("NewImage")).isFalse();
        assertThat(data.has("OldImage")).isFalse();
        assertThat(data.path("Keys").path("orderId").path("S").asText()).isEqualTo("o1");
        assertThat(data.path("ApproximateCreationDateTime").asLong()).isEqualTo(now.getEpochSecond());
    }

    @Test
    void enablingTwice_orDisablingWithoutAStream_isAValidationError() throws Exception {
        enable("NEW_IMAGE");

        assertThatThrownBy(() -> enable("NEW_IMAGE")).isInstanceOf(AwsException.class)
                .hasMessageContaining("already has an enabled stream");
        store.disable("orders");
        assertThatThrownBy(() -> store.disable("orders")).isInstanceOf(AwsException.class)
                .satisfies(e -> assertThat(((AwsException) e).type()).endsWith("#ValidationException"));
    }

    @Test
    void iteratorsExpireAfter15Minutes() throws Exception {
        StreamStore.ActiveStream stream = enable("NEW_IMAGE");
        String shard = store.describeStream(node("{\"StreamArn\":\"" + stream.arn() + "\"}"))
                .path("StreamDescription").path("Shards").get(0).path("ShardId").asText();
        String iterator = store.getShardIterator(node("{\"StreamArn\":\"" + stream.arn() + "\",\"ShardId\":\""
                + shard + "\",\"ShardIteratorType\":\"LATEST\"}")).path("ShardIterator").asText();

        now = now.plus(Duration.ofMinutes(15)).plusMillis(1);

        assertThatThrownBy(() -> store.getRecords(node("{\"ShardIterator\":\"" + iterator + "\"}")))
                .isInstanceOf(AwsException.class)
                .satisfies(e -> assertThat(((AwsException) e).type()).endsWith("#ExpiredIteratorException"));
    }
}
