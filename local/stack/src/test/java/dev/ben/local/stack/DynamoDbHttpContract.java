package dev.ben.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DynamoDB at the HTTP level, as dynalite (and DynamoDB) answer it: body size limit, methods, paths and query
 * strings, content types, signatures, response headers, CORS, table descriptions. Written once, run against bare
 * dynalite ({@link DynaliteHttpIT}) and against the Streams layer in front of it ({@link StreamsLayerHttpIT}):
 * the layer must pass all of it through. Each subclass starts its own local stack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DynamoDbHttpContract {

    static final String LIST_TABLES = "DynamoDB_20120810.ListTables";
    static final Pattern REQUEST_ID = Pattern.compile("[0-9A-Z]{52}");
    private static final int SIXTEEN_MB = 16 * 1024 * 1024;
    private static final String HEALTHY = "healthy: dynamodb.us-east-1.amazonaws.com ";
    private static final String UNKNOWN_OPERATION_XML = "<UnknownOperationException/>\n";

    LocalAws aws;

    /** The endpoint under test. */
    abstract URI endpoint();

    @BeforeAll
    void startStack() {
        aws = LocalAws.start();
    }

    @AfterAll
    void stopStack() {
        aws.close();
    }

    RawResponse send(RawRequest request) {
        return request.sendTo(endpoint());
    }

    static RawRequest listTables() {
        return RawRequest.operation(LIST_TABLES, "{}");
    }

    static String crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return Long.toString(crc.getValue());
    }

    static String createTableBody(String table) {
        return "{\"TableName\":\"" + table + "\",\"AttributeDefinitions\":[{\"AttributeName\":\"pk\","
                + "\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                + "\"BillingMode\":\"PAY_PER_REQUEST\"}";
    }

    // ---- body size ------------------------------------------------------------------------------------------------

    @Test
    void requestBodyOver16MB_isRefusedWith413_andNoBody() {
        byte[] body = new byte[SIXTEEN_MB + 1];
        Arrays.fill(body, (byte) ' ');

        RawResponse response = send(listTables().body(body).signed());

        assertThat(response.status()).as(response.toString()).isEqualTo(413);
        assertThat(response.body()).isEmpty();
        assertThat(response.header("x-amzn-RequestId")).isEmpty();
    }

    @Test
    void requestBodyOfExactly16MB_isAccepted() {
        byte[] body = new byte[SIXTEEN_MB];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';

        RawResponse response = send(listTables().body(body).signed());

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().has("TableNames")).isTrue();
    }

    // ---- methods, paths and query strings ---------------------------------------------------------------------

    @Test
    void get_onAnyPath_isTheHealthCheck() {
        RawResponse response = send(listTables().method("GET").body(new byte[0]).path("/some/path?x=1"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo(HEALTHY);
        assertThat(response.header("x-amz-crc32")).contains("3128867991");
        assertThat(response.header("Content-Type")).as("no content type").isEmpty();
        assertThat(response.header("x-amzn-RequestId")).get().asString().matches(REQUEST_ID);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PUT", "DELETE", "PATCH", "OPTIONS"})
    void otherMethods_evenWithASignedOperation_areAnswered404UnknownOperation(String method) {
        RawResponse response = send(listTables().method(method).signed());

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.text()).isEqualTo(UNKNOWN_OPERATION_XML);
        assertThat(response.header("x-amz-crc32")).contains("3552371480");
        assertThat(response.header("x-amzn-RequestId")).get().asString().matches(REQUEST_ID);
    }

    @Test
    void head_isAnswered404_withTheLengthOfTheBodyItDoesNotSend() {
        RawResponse response = send(listTables().method("HEAD").body(new byte[0]).signed());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).isEmpty();
        assertThat(response.header("Content-Length")).contains("29");
        assertThat(response.header("x-amz-crc32")).contains("3552371480");
    }

    @Test
    void methodUnknownToHttp_isRefusedWith400() {
        // No body: dynalite's parser refuses the method at once and closes; a body still in flight would turn the
        // close into a connection reset before the 400 is read (seen under load).
        RawResponse response = send(listTables().method("BREW").body(new byte[0]));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void post_toAnyPathWithAQueryString_isAnsweredLikeAtTheRoot() {
        RawResponse response = send(listTables().path("/some/path?foo=bar&baz").signed());

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().has("TableNames")).isTrue();
    }

    // ---- CORS ---------------------------------------------------------------------------------------------------

    @Test
    void optionsWithAnOrigin_isACorsPreflight_answeredWithTheRequestedMethodAndHeaders() {
        RawResponse response = send(listTables().method("OPTIONS").body(new byte[0])
                .header("Origin", "http://console.local").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-amz-target,content-type"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.header("Access-Control-Allow-Origin")).contains("*");
        assertThat(response.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(response.header("Access-Control-Allow-Headers")).contains("x-amz-target,content-type");
        assertThat(response.header("Access-Control-Max-Age")).contains("172800");
        assertThat(response.header("x-amzn-RequestId")).get().asString().matches(REQUEST_ID);
    }

    @Test
    void requestWithAnOrigin_isAnsweredWithAccessControlAllowOrigin() {
        RawResponse response = send(listTables().header("Origin", "http://console.local").signed());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).contains("*");
    }

    // ---- content types ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "application/x-amz-json-1.0|application/x-amz-json-1.0",
            "application/json|application/json",
            "application/x-amz-json-1.0; charset=utf-8|application/x-amz-json-1.0",
            "application/json; charset=utf-8|application/json",
    })
    void jsonRequest_isAnsweredInTheJsonTypeItWasSentIn(String requestType, String responseType) {
        RawResponse response = send(listTables().header("Content-Type", requestType).signed());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).contains(responseType);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain", "application/x-amz-json-1.1", "APPLICATION/JSON"})
    void bodyOfAnotherContentType_isAnswered404UnknownOperation(String contentType) {
        RawResponse response = send(listTables().header("Content-Type", contentType).signed());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text()).isEqualTo(UNKNOWN_OPERATION_XML);
    }

    @Test
    void bodyWithoutContentType_isAnswered404UnknownOperation() {
        RawResponse response = send(listTables().withoutHeader("Content-Type").signed());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text()).isEqualTo(UNKNOWN_OPERATION_XML);
    }

    // ---- signatures ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "DynamoDB_20120810.ListTables|{}",
            "DynamoDB_20120810.DescribeTable|{\"TableName\":\"unsigned\"}",
            "DynamoDB_20120810.PutItem|{\"TableName\":\"unsigned\",\"Item\":{\"pk\":{\"S\":\"a\"}}}",
            "DynamoDB_20120810.CreateTable|{\"TableName\":\"unsigned\",\"StreamSpecification\":{\"StreamEnabled\":true}}",
    })
    void unsignedRequest_isMissingAuthenticationToken(String target, String body) {
        RawResponse response = send(RawRequest.operation(target, body));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).isEqualTo("{\"__type\":\"com.amazon.coral.service#"
                + "MissingAuthenticationTokenException\",\"message\":\"Request is missing Authentication Token\"}");
    }

    @Test
    void authorizationThatIsNotSigV4_isMissingAuthenticationToken() {
        RawResponse response = send(listTables().header("Authorization", "Bearer abc"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("MissingAuthenticationTokenException");
    }

    @Test
    void sigV4HeaderWithoutADate_isAnIncompleteSignature() {
        RawResponse response = send(listTables().header("Authorization", "AWS4-HMAC-SHA256 "
                + "Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abc"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("IncompleteSignatureException");
        assertThat(response.json().path("message").asText()).isEqualTo("Authorization header requires existence of "
                + "either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 "
                + "Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abc");
    }

    @Test
    void sigV4HeaderWithoutItsParts_isAnIncompleteSignature_namingThem() {
        RawResponse response = send(listTables().header("Authorization", "AWS4-HMAC-SHA256 Credential=x")
                .header("X-Amz-Date", "20260101T000000Z"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("message").asText()).isEqualTo("Authorization header requires 'Signature' "
                + "parameter. Authorization header requires 'SignedHeaders' parameter. "
                + "Authorization=AWS4-HMAC-SHA256 Credential=x");
    }

    @Test
    void signatureInTheQueryString_isAccepted() {
        RawResponse response = send(listTables().signedInQuery());

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().has("TableNames")).isTrue();
    }

    @Test
    void incompleteQueryStringSignature_isAnIncompleteSignature() {
        RawResponse response = send(listTables()
                .path("/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260101T000000Z"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("IncompleteSignatureException");
        assertThat(response.json().path("message").asText()).isEqualTo("AWS query-string parameters must include "
                + "'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string "
                + "parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.");
    }

    @Test
    void signatureInBothHeaderAndQueryString_isAnInvalidSignature() {
        RawResponse response = send(listTables().path("/?X-Amz-Algorithm=AWS4-HMAC-SHA256").signed());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("InvalidSignatureException");
    }

    // ---- response headers -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "DynamoDB_20120810.ListTables|{}|200",
            "DynamoDB_20120810.DescribeTable|{\"TableName\":\"no-such-table\"}|400",
            "DynamoDB_20120810.PutItem|{\"TableName\":\"no-such-table\",\"Item\":{\"pk\":{\"S\":\"a\"}}}|400",
    })
    void everyJsonAnswer_hasA52CharacterRequestId_andTheCrc32OfItsBody(String target, String body, int status) {
        RawResponse first = send(RawRequest.operation(target, body).signed());
        RawResponse second = send(RawRequest.operation(target, body).signed());

        assertThat(first.status()).isEqualTo(status);
        assertThat(first.header("x-amzn-RequestId")).get().asString().matches(REQUEST_ID);
        assertThat(first.header("x-amzn-RequestId")).isNotEqualTo(second.header("x-amzn-RequestId"));
        assertThat(first.header("x-amz-crc32")).contains(crc32(first.body()));
        assertThat(first.header("Content-Length")).contains(Integer.toString(first.body().length));
    }

    // ---- bodies -------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DynamoDB_20120810.PutItem", "DynamoDB_20120810.CreateTable",
            "DynamoDB_20120810.ListTables"})
    void malformedJson_isASerializationException(String target) {
        RawResponse response = send(RawRequest.operation(target, "{\"TableName\": ").signed());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).isEqualTo("{\"__type\":\"com.amazon.coral.service#SerializationException\"}");
    }

    @Test
    void unknownOperation_isUnknownOperationException() {
        RawResponse response = send(RawRequest.operation("DynamoDB_20120810.TransactWriteItems", "{}").signed());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).isEqualTo("{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}");
    }

    @Test
    void tableDescriptions_keepTheirNumbersAsDynaliteWritesThem_neverInExponentForm() {
        String table = StreamTables.uniqueName("numbers");

        RawResponse created = send(RawRequest.operation("DynamoDB_20120810.CreateTable", createTableBody(table))
                .signed());
        RawResponse described = send(RawRequest.operation("DynamoDB_20120810.DescribeTable",
                "{\"TableName\":\"" + table + "\"}").signed());

        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(number(created, "CreationDateTime")).matches("\\d{10}(\\.\\d{1,3})?");
        assertThat(number(described, "CreationDateTime")).isEqualTo(number(created, "CreationDateTime"));
        assertThat(number(described, "LastUpdateToPayPerRequestDateTime"))
                .isEqualTo(number(created, "CreationDateTime"));
        assertThat(numbers(described)).isNotEmpty().allMatch(n -> n.matches("\\d+(\\.\\d+)?"), "plain decimal");
    }

    /** A number field's text as written in the body. */
    static String number(RawResponse response, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\":(-?[0-9][^,}\\]]*)").matcher(response.text());
        assertThat(matcher.find()).as(field + " in " + response.text()).isTrue();
        return matcher.group(1);
    }

    /** The text of every number value in the body (a value after {@code ":}, i.e. not inside a string). */
    static List<String> numbers(RawResponse response) {
        return Pattern.compile("\":(-?[0-9][^,}\\]]*)").matcher(response.text()).results().map(m -> m.group(1))
                .toList();
    }
}
