package dev.ben.local.stack;

import static dev.ben.local.stack.StreamTables.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;

/** AWS-style errors of the Streams layer. Uses its own stack with a clock the tests move. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsErrorsIT {

    private final MutableClock clock = new MutableClock();
    private LocalAws aws;

    @BeforeAll
    void start() {
        aws = LocalAws.builder().clock(clock).start();
    }

    @AfterAll
    void stop() {
        aws.close();
    }

    private String streamWithRecords(int count) {
        String table = StreamTables.uniqueName("errors");
        StreamTables.create(aws, table, StreamViewType.KEYS_ONLY, false);
        for (int i = 0; i < count; i++) {
            int n = i;
            aws.dynamoDb().putItem(r -> r.tableName(table).item(Map.of("pk", s("e" + n))));
        }
        return StreamTables.latestStreamArn(aws, table);
    }

    @Test
    void describeStream_ofAnUnknownStream_isResourceNotFound() {
        String unknown = "arn:aws:dynamodb:us-east-1:000000000000:table/nope/stream/2020-01-01T00:00:00.000";

        assertThatThrownBy(() -> aws.dynamoDbStreams().describeStream(r -> r.streamArn(unknown)))
                .isInstanceOf(ResourceNotFoundException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).statusCode()).isEqualTo(400));
    }

    @Test
    void getShardIterator_ofAnUnknownShard_isResourceNotFound() {
        String stream = streamWithRecords(1);

        assertThatThrownBy(() -> aws.dynamoDbStreams().getShardIterator(r -> r.streamArn(stream)
                .shardId("shardId-00000000000000000000-00000000").shardIteratorType(ShardIteratorType.LATEST)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void getRecords_withLimitZero_isValidationException() {
        String iterator = StreamTables.iterator(aws, streamWithRecords(1), ShardIteratorType.TRIM_HORIZON, null);

        assertThatThrownBy(() -> aws.dynamoDbStreams().getRecords(r -> r.shardIterator(iterator).limit(0)))
                .isInstanceOf(DynamoDbException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"));
    }

    @Test
    void getShardIterator_atSequenceNumberWithoutOne_isValidationException() {
        String stream = streamWithRecords(1);

        assertThatThrownBy(() -> StreamTables.iterator(aws, stream, ShardIteratorType.AT_SEQUENCE_NUMBER, null))
                .isInstanceOf(DynamoDbException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"));
    }

    @Test
    void getRecords_withAnIteratorThisEndpointDidNotIssue_isValidationException() {
        assertThatThrownBy(() -> aws.dynamoDbStreams().getRecords(r -> r.shardIterator("not-an-iterator")))
                .isInstanceOf(DynamoDbException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"));
    }

    @Test
    void getRecords_withAnIteratorOlderThan15Minutes_isExpiredIteratorException() {
        String iterator = StreamTables.iterator(aws, streamWithRecords(2), ShardIteratorType.TRIM_HORIZON, null);

        clock.advance(Duration.ofMinutes(15).plusSeconds(1));

        assertThatThrownBy(() -> aws.dynamoDbStreams().getRecords(r -> r.shardIterator(iterator)))
                .isInstanceOf(ExpiredIteratorException.class);
    }

    @Test
    void recordsOlderThan24Hours_areTrimmed_andIteratorsBeforeTheTrimHorizonFail() {
        String stream = streamWithRecords(2);
        List<Record> before = StreamTables.readAll(aws, stream);
        clock.advance(Duration.ofHours(23).plusMinutes(55));
        String staleIterator = StreamTables.iterator(aws, stream, ShardIteratorType.TRIM_HORIZON, null);

        clock.advance(Duration.ofMinutes(10));

        assertThat(before).hasSize(2);
        assertThatThrownBy(() -> aws.dynamoDbStreams().getRecords(r -> r.shardIterator(staleIterator)))
                .isInstanceOf(TrimmedDataAccessException.class);
        assertThatThrownBy(() -> StreamTables.iterator(aws, stream, ShardIteratorType.AT_SEQUENCE_NUMBER,
                before.getFirst().dynamodb().sequenceNumber()))
                .isInstanceOf(TrimmedDataAccessException.class);
        assertThat(StreamTables.readAll(aws, stream)).as("a fresh TRIM_HORIZON iterator starts after the trim")
                .isEmpty();
    }

    // ---- malformed requests, sent as raw HTTP (signed, as the SDK signs) -----------------------------------------

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(delimiter = '|', value = {
            "DynamoDBStreams_20120810.GetRecords|not json|SerializationException",
            "DynamoDBStreams_20120810.GetRecords|[]|SerializationException",
            "DynamoDBStreams_20120810.GetRecords|''|SerializationException",
            "DynamoDBStreams_20120810.GetRecords|{\"ShardIterator\": 5}|SerializationException",
            "DynamoDBStreams_20120810.GetRecords|{\"ShardIterator\": \"x\", \"Limit\": \"ten\"}|SerializationException",
            "DynamoDBStreams_20120810.GetRecords|{}|ValidationException",
            "DynamoDBStreams_20120810.GetRecords|{\"ShardIterator\": \"x\", \"Limit\": 1001}|ValidationException",
            "DynamoDBStreams_20120810.GetShardIterator|{\"StreamArn\": \"a\", \"ShardId\": \"b\"}|ValidationException",
            "DynamoDBStreams_20120810.DescribeStream|{\"StreamArn\": \"arn:nope\"}|ResourceNotFoundException",
            "DynamoDBStreams_20120810.ListStreams|{\"Limit\": -1}|ValidationException",
            "DynamoDBStreams_20120810.DeleteStream|{}|UnknownOperationException",
            "DynamoDB_20120810.CreateTable|{\"TableName\": \"bad-stream\", \"StreamSpecification\": {\"StreamEnabled\": true}}|ValidationException",
    })
    void malformedRequests_getAwsStyleErrors_never500(String target, String body, String errorCode) {
        RawResponse response = RawRequest.operation(target, body).signed().sendTo(aws.dynamoDbEndpoint());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo(errorCode);
        assertThat(response.json().path("message").asText()).isNotBlank();
    }
}
