package dev.ben.local.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** Test helpers: stream-enabled tables with unique names, and reading a whole shard. */
final class StreamTables {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private StreamTables() {
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /** A table with string hash key {@code pk} (and string range key {@code sk} when asked). */
    static TableDescription create(LocalAws aws, String name, StreamViewType viewType, boolean withSortKey) {
        List<KeySchemaElement> keys = new ArrayList<>();
        List<AttributeDefinition> definitions = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build());
        definitions.add(AttributeDefinition.builder().attributeName("pk").attributeType("S").build());
        if (withSortKey) {
            keys.add(KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
            definitions.add(AttributeDefinition.builder().attributeName("sk").attributeType("N").build());
        }
        aws.dynamoDb().createTable(r -> {
            r.tableName(name).keySchema(keys).attributeDefinitions(definitions).billingMode(BillingMode.PAY_PER_REQUEST);
            if (viewType != null) {
                r.streamSpecification(s -> s.streamEnabled(true).streamViewType(viewType));
            }
        });
        return aws.dynamoDb().waiter().waitUntilTableExists(r -> r.tableName(name)).matched().response()
                .orElseThrow().table();
    }

    static String latestStreamArn(LocalAws aws, String table) {
        return aws.dynamoDb().describeTable(r -> r.tableName(table)).table().latestStreamArn();
    }

    static String shardId(LocalAws aws, String streamArn) {
        return aws.dynamoDbStreams().describeStream(r -> r.streamArn(streamArn)).streamDescription().shards()
                .getFirst().shardId();
    }

    static String iterator(LocalAws aws, String streamArn, ShardIteratorType type, String sequenceNumber) {
        String shard = shardId(aws, streamArn);
        return aws.dynamoDbStreams().getShardIterator(r -> r.streamArn(streamArn).shardId(shard)
                .shardIteratorType(type).sequenceNumber(sequenceNumber)).shardIterator();
    }

    /** Every record currently in the stream, from the trim horizon, following NextShardIterator. */
    static List<Record> readAll(LocalAws aws, String streamArn) {
        List<Record> records = new ArrayList<>();
        String iterator = iterator(aws, streamArn, ShardIteratorType.TRIM_HORIZON, null);
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse response = aws.dynamoDbStreams().getRecords(r -> r.shardIterator(current));
            records.addAll(response.records());
            if (response.records().isEmpty()) {
                break;
            }
            iterator = response.nextShardIterator();
        }
        return records;
    }

    static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
