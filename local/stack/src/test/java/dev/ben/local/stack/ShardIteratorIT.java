package dev.ben.local.stack;

import static dev.ben.local.stack.StreamTables.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

@ExtendWith(LocalAwsExtension.class)
class ShardIteratorIT {

    private final LocalAws aws;
    private String table;
    private String streamArn;

    ShardIteratorIT(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeEach
    void fiveRecords() {
        table = StreamTables.uniqueName("iterators");
        StreamTables.create(aws, table, StreamViewType.KEYS_ONLY, false);
        IntStream.rangeClosed(1, 5).forEach(this::put);
        streamArn = StreamTables.latestStreamArn(aws, table);
    }

    private void put(int i) {
        aws.dynamoDb().putItem(r -> r.tableName(table).item(Map.of("pk", s("item-" + i))));
    }

    private List<String> keys(List<Record> records) {
        return records.stream().map(r -> r.dynamodb().keys().get("pk").s()).toList();
    }

    private GetRecordsResponse get(String iterator, Integer limit) {
        return aws.dynamoDbStreams().getRecords(r -> r.shardIterator(iterator).limit(limit));
    }

    @Test
    void describeStream_listsOneShard_withStartingSequenceNumber_andTheTableKeySchema() {
        StreamDescription description = aws.dynamoDbStreams().describeStream(r -> r.streamArn(streamArn))
                .streamDescription();

        assertThat(description.streamArn()).isEqualTo(streamArn)
                .isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/" + table + "/stream/"
                        + description.streamLabel());
        assertThat(description.streamLabel()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        assertThat(description.tableName()).isEqualTo(table);
        assertThat(description.streamViewType()).isEqualTo(StreamViewType.KEYS_ONLY);
        assertThat(description.keySchema()).extracting(k -> k.attributeName()).containsExactly("pk");
        assertThat(description.creationRequestDateTime()).isNotNull();
        assertThat(description.shards()).hasSize(1);
        assertThat(description.shards().getFirst().shardId()).startsWith("shardId-");
        assertThat(description.shards().getFirst().sequenceNumberRange().startingSequenceNumber()).isNotNull();
        assertThat(description.shards().getFirst().sequenceNumberRange().endingSequenceNumber()).isNull();
    }

    @Test
    void trimHorizon_readsFromTheOldestRecord() {
        String iterator = StreamTables.iterator(aws, streamArn, ShardIteratorType.TRIM_HORIZON, null);

        assertThat(keys(get(iterator, null).records()))
                .containsExactly("item-1", "item-2", "item-3", "item-4", "item-5");
    }

    @Test
    void latest_readsOnlyRecordsWrittenAfterwards() {
        String iterator = StreamTables.iterator(aws, streamArn, ShardIteratorType.LATEST, null);
        GetRecordsResponse empty = get(iterator, null);

        put(6);
        put(7);

        assertThat(empty.records()).isEmpty();
        assertThat(keys(get(empty.nextShardIterator(), null).records())).containsExactly("item-6", "item-7");
    }

    @Test
    void atAndAfterSequenceNumber_startAtOrJustAfterThatRecord() {
        List<Record> all = StreamTables.readAll(aws, streamArn);
        String third = all.get(2).dynamodb().sequenceNumber();

        String at = StreamTables.iterator(aws, streamArn, ShardIteratorType.AT_SEQUENCE_NUMBER, third);
        String after = StreamTables.iterator(aws, streamArn, ShardIteratorType.AFTER_SEQUENCE_NUMBER, third);

        assertThat(keys(get(at, null).records())).containsExactly("item-3", "item-4", "item-5");
        assertThat(keys(get(after, null).records())).containsExactly("item-4", "item-5");
    }

    @Test
    void limit_andNextShardIterator_pageThroughTheShard() {
        String iterator = StreamTables.iterator(aws, streamArn, ShardIteratorType.TRIM_HORIZON, null);
        List<List<String>> pages = new ArrayList<>();

        for (int i = 0; i < 4; i++) {
            GetRecordsResponse page = get(iterator, 2);
            pages.add(keys(page.records()));
            iterator = page.nextShardIterator();
        }

        assertThat(pages).containsExactly(List.of("item-1", "item-2"), List.of("item-3", "item-4"),
                List.of("item-5"), List.of());
        assertThat(iterator).as("an open shard always has a next iterator").isNotNull();
    }

    @Test
    void nextShardIterator_ofAnEmptyRead_seesRecordsWrittenLater() {
        String iterator = StreamTables.iterator(aws, streamArn, ShardIteratorType.TRIM_HORIZON, null);
        GetRecordsResponse all = get(iterator, null);
        GetRecordsResponse empty = get(all.nextShardIterator(), null);

        put(8);

        assertThat(empty.records()).isEmpty();
        assertThat(keys(get(empty.nextShardIterator(), null).records())).containsExactly("item-8");
    }

    @Test
    void iterators_canBeReused_readingTheSameRecordsAgain() {
        String iterator = StreamTables.iterator(aws, streamArn, ShardIteratorType.TRIM_HORIZON, null);

        List<String> first = keys(get(iterator, 3).records());
        List<String> second = keys(get(iterator, 3).records());

        assertThat(second).isEqualTo(first).containsExactly("item-1", "item-2", "item-3");
    }

    @Test
    void closedShard_endsWithoutNextShardIterator_afterItsLastRecord() {
        aws.dynamoDb().updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(false)));
        String iterator = StreamTables.iterator(aws, streamArn, ShardIteratorType.TRIM_HORIZON, null);

        GetRecordsResponse first = get(iterator, 3);
        GetRecordsResponse last = get(first.nextShardIterator(), 3);

        assertThat(keys(first.records())).containsExactly("item-1", "item-2", "item-3");
        assertThat(first.nextShardIterator()).isNotNull();
        assertThat(keys(last.records())).containsExactly("item-4", "item-5");
        assertThat(last.nextShardIterator()).isNull();
    }

    @Test
    void listStreams_pagesWithLimitAndExclusiveStartStreamArn() {
        String other = StreamTables.uniqueName("iterators-other");
        StreamTables.create(aws, other, StreamViewType.NEW_IMAGE, false);
        List<String> all = aws.dynamoDbStreams().listStreams(r -> r.limit(100)).streams().stream()
                .map(st -> st.streamArn()).toList();

        var firstPage = aws.dynamoDbStreams().listStreams(r -> r.limit(1));
        var secondPage = aws.dynamoDbStreams().listStreams(r -> r.limit(1)
                .exclusiveStartStreamArn(firstPage.lastEvaluatedStreamArn()));

        assertThat(all).contains(streamArn, StreamTables.latestStreamArn(aws, other));
        assertThat(firstPage.streams()).hasSize(1);
        assertThat(firstPage.lastEvaluatedStreamArn()).isEqualTo(firstPage.streams().getFirst().streamArn());
        assertThat(secondPage.streams().getFirst().streamArn()).isEqualTo(all.get(1));
        assertThat(aws.dynamoDbStreams().listStreams(r -> r.tableName(other)).streams())
                .singleElement().satisfies(st -> {
                    assertThat(st.tableName()).isEqualTo(other);
                    assertThat(st.streamLabel()).isNotBlank();
                });
    }
}
