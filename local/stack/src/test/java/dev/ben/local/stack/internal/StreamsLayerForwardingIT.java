package dev.ben.local.stack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the Streams layer sends on and hands back, seen from a real HTTP server standing in for dynalite that
 * records each request and answers with headers and a body of its choosing.
 */
class StreamsLayerForwardingIT {

    /** A request as the upstream server received it. */
    record Received(String method, String target, Map<String, List<String>> headers, byte[] body) {
    }

    private static final String ANSWER = "{\"odd\":1796109399.370,\"big\":1e21,\"text\":\"kept\"}";

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer upstream;
    private StreamsLayer layer;

    @BeforeEach
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", this::record);
        upstream.start();
        URI upstreamUri = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
        layer = StreamsLayer.start(CompletableFuture.completedFuture(upstreamUri), Clock.systemUTC(), "us-east-1");
    }

    @AfterEach
    void stop() {
        layer.close();
        upstream.stop(0);
    }

    private void record(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            received.add(new Received(exchange.getRequestMethod(),
                    uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                    Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes()));
            byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("x-amzn-RequestId", "UPSTREAMREQUESTID");
            exchange.getResponseHeaders().add("x-amz-crc32", "12345");
            exchange.getResponseHeaders().add("Content-Type", "application/weird");
            exchange.getResponseHeaders().add("Access-Control-Expose-Headers", "x-amzn-RequestId");
            exchange.getResponseHeaders().add("X-Upstream", "one");
            exchange.getResponseHeaders().add("X-Upstream", "two");
            exchange.sendResponseHeaders(202, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Received lastReceived() throws InterruptedException {
        Received request = received.poll(10, TimeUnit.SECONDS);
        assertThat(request).as("request reached the upstream server").isNotNull();
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH", "OPTIONS", "POST"})
    void request_isForwardedWithItsMethodPathQueryHeadersAndBody_asSent(String method) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(layer.endpoint().resolve("/some/where?b=2&a=%2F+x"))
                .method(method, HttpRequest.BodyPublishers.ofString("not json at all"))
                .header("Content-Type", "text/odd; charset=latin1")
                .header("X-Amz-Target", "DynamoDB_20120810.GetItem")
                .header("Origin", "http://console.local")
                .header("X-Custom", "as sent");

        HttpResponse<String> response = send(request);

        Received forwarded = lastReceived();
        assertThat(forwarded.method()).isEqualTo(method);
        assertThat(forwarded.target()).isEqualTo("/some/where?b=2&a=%2F+x");
        assertThat(forwarded.headers()).containsEntry("Content-type", List.of("text/odd; charset=latin1"))
                .containsEntry("X-amz-target", List.of("DynamoDB_20120810.GetItem"))
                .containsEntry("Origin", List.of("http://console.local"))
                .containsEntry("X-custom", List.of("as sent"))
                .containsEntry("Host", List.of("127.0.0.1:" + layer.endpoint().getPort()))
                .doesNotContainKeys("Authorization", "X-amz-date");
        assertThat(new String(forwarded.body(), StandardCharsets.UTF_8)).isEqualTo("not json at all");
        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void answer_comesBackWithItsStatusHeadersAndBody_asDynaliteSentThem() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(layer.endpoint())
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810.Query"));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo(ANSWER);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).contains("UPSTREAMREQUESTID");
        assertThat(response.headers().firstValue("x-amz-crc32")).contains("12345");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/weird");
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers")).contains("x-amzn-RequestId");
        assertThat(response.headers().allValues("X-Upstream")).containsExactly("one", "two");
    }

    @Test
    void signedRequest_keepsItsOwnSignature_inTheHeader() throws Exception {
        String authorization = "AWS4-HMAC-SHA256 Credential=someone/20260101/us-east-1/dynamodb/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=0123";

        send(HttpRequest.newBuilder(layer.endpoint()).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                .header("Authorization", authorization)
                .header("X-Amz-Date", "20260101T000000Z")
                .header("X-Amz-Security-Token", "session"));

        Received forwarded = lastReceived();
        assertThat(forwarded.headers()).containsEntry("Authorization", List.of(authorization))
                .containsEntry("X-amz-date", List.of("20260101T000000Z"))
                .containsEntry("X-amz-security-token", List.of("session"));
    }

    @Test
    void querySignedRequest_keepsItsQueryString_andGetsNoSignatureHeader() throws Exception {
        String query = "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=someone%2F20260101%2Fus-east-1%2Fdynamodb"
                + "%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=0123";

        send(HttpRequest.newBuilder(layer.endpoint().resolve("/" + query))
                .POST(HttpRequest.BodyPublishers.ofString("{\"TableName\":\"t\"}"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810.DescribeTable"));

        Received forwarded = lastReceived();
        assertThat(forwarded.target()).isEqualTo("/" + query);
        assertThat(forwarded.headers()).doesNotContainKeys("Authorization", "X-amz-date");
        assertThat(new String(forwarded.body(), StandardCharsets.UTF_8)).isEqualTo("{\"TableName\":\"t\"}");
    }

    @Test
    void interpretedWrite_toATableWithoutStream_isForwardedAsSent() throws Exception {
        String body = "{ \"TableName\" : \"plain\", \"Item\": {\"pk\": {\"S\": \"a\"}}, \"Limit\": 1.50 }";

        send(HttpRequest.newBuilder(layer.endpoint()).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("X-Amz-Target", "DynamoDB_20120810.PutItem")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=1")
                .header("X-Amz-Date", "20260101T000000Z"));

        Received forwarded = lastReceived();
        assertThat(new String(forwarded.body(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(forwarded.headers()).containsEntry("Content-type", List.of("application/json"));
    }
}
