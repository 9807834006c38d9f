package dev.ben.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP contract against the Streams layer, plus where the layer may differ from dynalite - the Streams API
 * it serves and the stream in table descriptions - and how what it answers itself is headed: like dynalite's
 * answers, which {@link DynaliteHttpIT} pins down.
 */
class StreamsLayerHttpIT extends DynamoDbHttpContract {

    private static final String LIST_STREAMS = "DynamoDBStreams_20120810.ListStreams";

    @Override
    URI endpoint() {
        return aws.dynamoDbEndpoint();
    }

    private RawResponse sendToDynalite(RawRequest request) {
        return request.sendTo(aws.dynaliteEndpoint().orElseThrow());
    }

    /**
     * Waits until dynalite says the table is ACTIVE: it answers CREATING for a moment after CreateTable, so a
     * describe through the layer and one straight to dynalite could otherwise see two states.
     */
    private void awaitActive(RawRequest describe) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!sendToDynalite(describe).text().contains("\"TableStatus\":\"ACTIVE\"")) {
            assertThat(System.nanoTime()).as("table ACTIVE within 10 s").isLessThan(deadline);
            LockSupport.parkNanos(20_000_000L);
        }
    }

    static Stream<Arguments> badSignatures() {
        return Stream.of(
                Arguments.of("none", (UnaryOperator<RawRequest>) r -> r),
                Arguments.of("not SigV4", (UnaryOperator<RawRequest>) r -> r.header("Authorization", "Bearer abc")),
                Arguments.of("no date", (UnaryOperator<RawRequest>) r -> r.header("Authorization",
                        "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=abc")),
                Arguments.of("parts missing", (UnaryOperator<RawRequest>) r -> r.header("Authorization",
                        "AWS4-HMAC-SHA256 Credential=x").header("X-Amz-Date", "20260101T000000Z")),
                Arguments.of("query incomplete", (UnaryOperator<RawRequest>) r -> r.path("/?X-Amz-Algorithm=x")),
                Arguments.of("header and query", (UnaryOperator<RawRequest>) r -> r.path("/?X-Amz-Algorithm=x")
                        .signed()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSignatures")
    void streamsOperation_withABadSignature_isRefusedInDynalitesWords(String name, UnaryOperator<RawRequest> sign) {
        RawResponse layer = send(sign.apply(RawRequest.operation(LIST_STREAMS, "{}")));
        RawResponse dynalite = sendToDynalite(sign.apply(listTables()));

        assertThat(dynalite.status()).isEqualTo(400);
        assertThat(layer.status()).isEqualTo(400);
        assertThat(layer.text()).isEqualTo(dynalite.text());
        assertThat(layer.header("x-amzn-RequestId")).get().asString().matches(REQUEST_ID);
        assertThat(layer.header("x-amz-crc32")).contains(crc32(layer.body()));
        assertThat(layer.header("Content-Type")).isEqualTo(dynalite.header("Content-Type"));
    }

    @Test
    void updateTimeToLive_unsigned_isMissingAuthenticationToken() {
        RawResponse response = send(RawRequest.operation("DynamoDB_20120810.UpdateTimeToLive", "{\"TableName\":\"t\","
                + "\"TimeToLiveSpecification\":{\"AttributeName\":\"ttl\",\"Enabled\":true}}"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("MissingAuthenticationTokenException");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "application/x-amz-json-1.0|application/x-amz-json-1.0",
            "application/json|application/json",
            "application/x-amz-json-1.0; charset=utf-8|application/x-amz-json-1.0",
    })
    void streamsAnswers_areHeadedLikeDynalites(String requestType, String responseType) {
        RawResponse response = send(RawRequest.operation(LIST_STREAMS, "{}").header("Content-Type", requestType)
                .header("Origin", "http://console.local").signed());

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().has("Streams")).isTrue();
        assertThat(response.header("Content-Type")).contains(responseType);
        assertThat(response.header("x-amzn-RequestId")).get().asString().matches(REQUEST_ID);
        assertThat(response.header("x-amz-crc32")).contains(crc32(response.body()));
        assertThat(response.header("Access-Control-Allow-Origin")).contains("*");
    }

    @Test
    void errorRaisedByTheLayer_isHeadedLikeDynalites() {
        RawResponse response = send(RawRequest.operation("DynamoDB_20120810.CreateTable", "{\"TableName\":\"bad\","
                + "\"StreamSpecification\":{\"StreamEnabled\":true}}").header("Content-Type", "application/json")
                .signed());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("ValidationException");
        assertThat(response.header("Content-Type")).contains("application/json");
        assertThat(response.header("x-amzn-RequestId")).get().asString().matches(REQUEST_ID);
        assertThat(response.header("x-amz-crc32")).contains(crc32(response.body()));
    }

    @Test
    void streamsOperationNotOverPost_isDynalites404() {
        RawResponse response = send(RawRequest.operation(LIST_STREAMS, "{}").method("PUT").signed());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text()).isEqualTo("<UnknownOperationException/>\n");
    }

    @Test
    void describeTable_ofATableWithoutAStream_isDynalitesAnswerByteForByte() {
        String table = StreamTables.uniqueName("plain");
        send(RawRequest.operation("DynamoDB_20120810.CreateTable", createTableBody(table)).signed());
        RawRequest describe = RawRequest.operation("DynamoDB_20120810.DescribeTable", "{\"TableName\":\"" + table
                + "\"}").signed();
        awaitActive(describe);

        RawResponse layer = send(describe);
        RawResponse dynalite = sendToDynalite(describe);

        assertThat(layer.status()).isEqualTo(200);
        assertThat(layer.text()).isEqualTo(dynalite.text());
        assertThat(layer.header("x-amz-crc32")).isEqualTo(dynalite.header("x-amz-crc32"));
    }

    @Test
    void describeTable_ofATableWithAStream_isDynalitesAnswerWithTheStreamAppended() {
        String table = StreamTables.uniqueName("streamed");
        String body = createTableBody(table);
        send(RawRequest.operation("DynamoDB_20120810.CreateTable", body.substring(0, body.length() - 1)
                + ",\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"KEYS_ONLY\"}}").signed());
        RawRequest describe = RawRequest.operation("DynamoDB_20120810.DescribeTable", "{\"TableName\":\"" + table
                + "\"}").signed();
        awaitActive(describe);

        RawResponse layer = send(describe);
        RawResponse dynalite = sendToDynalite(describe);

        String dynaliteTable = dynalite.text().substring(0, dynalite.text().length() - 2);
        String arn = StreamTables.latestStreamArn(aws, table);
        assertThat(layer.text()).isEqualTo(dynaliteTable + ",\"StreamSpecification\":{\"StreamEnabled\":true,"
                + "\"StreamViewType\":\"KEYS_ONLY\"},\"LatestStreamArn\":\"" + arn + "\",\"LatestStreamLabel\":\""
                + arn.substring(arn.lastIndexOf('/') + 1) + "\"}}");
        assertThat(layer.header("x-amz-crc32")).contains(crc32(layer.body()));
        assertThat(layer.header("x-amzn-RequestId")).get().asString().matches(REQUEST_ID);
    }
}
