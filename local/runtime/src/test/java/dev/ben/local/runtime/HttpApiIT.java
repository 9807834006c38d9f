package dev.ben.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ben.local.runtime.testing.EnvEchoHandler;
import dev.ben.local.runtime.testing.TestSettings;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.QueueSpec;
import dev.ben.settings.Trigger;
import dev.ben.settings.Trigger.HttpAuth;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LocalAws aws;
    private ProvisionedResources resources;
    private LocalLambdaRuntime runtime;
    private URI api;

    HttpApiIT(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeAll
    void start() {
        // The handler is created by class name with the function environment (its Map constructor).
        BenSettings settings = new BenSettings(List.of(TestSettings.orders()),
                List.of(new QueueSpec(BenSettings.RETRY_QUEUE, "BEN_RETRY_QUEUE_URL", Duration.ofSeconds(30),
                        Duration.ofDays(1), "", 0)),
                List.of(new FunctionSpec("echo", EnvEchoHandler.class.getName(), "local/runtime", 256, Duration.ofSeconds(10),
                        List.of(new Trigger.HttpTrigger("test-api", "POST", "/webhooks/orders", HttpAuth.NONE),
                                new Trigger.HttpTrigger("test-api", "GET", "/orders/{orderId}", HttpAuth.IAM),
                                new Trigger.HttpTrigger("test-api", "ANY", "/files/{path+}", HttpAuth.NONE),
                                new Trigger.HttpTrigger("test-api", "GET", "/boom", HttpAuth.NONE)),
                        List.of(TestSettings.ORDERS), List.of(BenSettings.RETRY_QUEUE))));
        resources = aws.provision(settings, TestSettings.prefix());
        runtime = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .environment("BEN_STATUS_API_TOKEN", "local-token")
                .output(new PrintStream(new ByteArrayOutputStream(), true)).start();
        api = runtime.httpEndpoint("test-api");
    }

    @AfterAll
    void stop() {
        runtime.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void post_roundTrip_buildsPayload2Event_andMapsTheResponseBack() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api.resolve("/webhooks/orders?x=1&x=2&y=a%20b"))
                .header("Content-Type", "application/json").header("Webhook-Id", "evt_1").header("Cookie", "a=1; b=2")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"order.paid\"}")));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("x-echo")).hasValue("yes");
        assertThat(response.headers().allValues("set-cookie")).containsExactly("session=abc; Path=/");
        JsonNode echo = JSON.readTree(response.body());
        JsonNode event = echo.get("event");
        assertThat(event.get("version").asText()).isEqualTo("2.0");
        assertThat(event.get("routeKey").asText()).isEqualTo("POST /webhooks/orders");
        assertThat(event.get("rawPath").asText()).isEqualTo("/webhooks/orders");
        assertThat(event.get("rawQueryString").asText()).isEqualTo("x=1&x=2&y=a%20b");
        assertThat(event.at("/queryStringParameters/x").asText()).isEqualTo("1,2");
        assertThat(event.at("/queryStringParameters/y").asText()).isEqualTo("a b");
        assertThat(event.at("/headers/webhook-id").asText()).isEqualTo("evt_1");
        assertThat(event.at("/headers/content-type").asText()).isEqualTo("application/json");
        assertThat(event.get("headers").has("cookie")).isFalse();
        assertThat(event.get("cookies").toString()).isEqualTo("[\"a=1\",\"b=2\"]");
        assertThat(event.get("body").asText()).isEqualTo("{\"type\":\"order.paid\"}");
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(event.at("/requestContext/http/method").asText()).isEqualTo("POST");
        assertThat(event.at("/requestContext/http/path").asText()).isEqualTo("/webhooks/orders");
        assertThat(event.at("/requestContext/http/sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(event.at("/requestContext/routeKey").asText()).isEqualTo("POST /webhooks/orders");
        assertThat(event.at("/requestContext/stage").asText()).isEqualTo("$default");
        assertThat(event.at("/requestContext/requestId").asText()).isNotBlank();
        assertThat(event.at("/requestContext/time").asText()).matches("\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
        assertThat(event.at("/requestContext/timeEpoch").asLong()).isPositive();
        assertThat(echo.get("functionName").asText()).isEqualTo("echo");
        assertThat(echo.get("ordersTable").asText()).isEqualTo(resources.tableName(TestSettings.ORDERS));
        assertThat(echo.get("retryQueueUrl").asText()).isEqualTo(resources.queueUrl(BenSettings.RETRY_QUEUE));
        assertThat(echo.get("region").asText()).isEqualTo("us-east-1");
        assertThat(echo.get("dynamoDbEndpoint").asText()).isEqualTo(aws.dynamoDbEndpoint().toString());
        assertThat(echo.get("token").asText()).isEqualTo("local-token");
    }

    @Test
    void pathParameters_areDecoded_andIamRoutesPassThroughLocally() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api.resolve("/orders/o%201")).GET());

        JsonNode event = JSON.readTree(response.body()).get("event");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(event.at("/pathParameters/orderId").asText()).isEqualTo("o 1");
        assertThat(event.get("routeKey").asText()).isEqualTo("GET /orders/{orderId}");
        assertThat(event.at("/requestContext/authorizer").isMissingNode() || event.at("/requestContext/authorizer").isNull())
                .isTrue();
        assertThat(event.get("body").isNull()).isTrue();
    }

    @Test
    void greedyPathParameter_takesTheRestOfThePath() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api.resolve("/files/a/b/c.txt"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()));

        JsonNode event = JSON.readTree(response.body()).get("event");
        assertThat(event.at("/pathParameters/path").asText()).isEqualTo("a/b/c.txt");
        assertThat(event.get("routeKey").asText()).isEqualTo("ANY /files/{path+}");
    }

    @Test
    void binaryBodies_travelBase64Encoded_bothWays() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 10, 13};

        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(api.resolve("/webhooks/orders"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsExactly(bytes);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
    }

    @Test
    void unknownRoutesAndMethods_get404() throws Exception {
        assertThat(send(HttpRequest.newBuilder(api.resolve("/nope")).GET()).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(api.resolve("/webhooks/orders")).GET()).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(api.resolve("/orders/")).GET()).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(api.resolve("/orders/a/b")).GET()).body()).isEqualTo("{\"message\":\"Not Found\"}");
    }

    @Test
    void payloadOverTheLambdaLimit_gets413() throws Exception {
        byte[] big = new byte[6 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) 'a');

        HttpResponse<String> response = send(HttpRequest.newBuilder(api.resolve("/webhooks/orders"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofByteArray(big)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("{\"message\":\"Request Entity Too Large\"}");
    }

    @Test
    void handlerError_gets500_likeApiGateway() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api.resolve("/boom")).GET());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }
}
