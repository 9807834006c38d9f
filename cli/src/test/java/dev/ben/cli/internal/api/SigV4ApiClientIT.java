package dev.ben.cli.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ben.cli.CliException;
import dev.ben.cli.ExitCodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The CLI's API client against a real HTTP server playing an IAM-authorized API Gateway route: the server checks
 * each request's SigV4 signature (body and query included) with the test's own from-spec implementation and
 * answers 403 {@code {"message":"Forbidden"}} when it does not verify, as API Gateway does.
 */
class SigV4ApiClientIT {

    private static final String SECRET = "test-secret-key/with+chars";
    private final List<String> verdicts = new CopyOnWriteArrayList<>();
    private volatile String tamper = "";
    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prod");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] checked = (new String(body, StandardCharsets.UTF_8) + tamper).getBytes(StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            boolean valid;
            try {
                valid = SigV4Verifier.verify(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), headers, checked, Map.of("ASIATESTKEY", SECRET))
                        && headers.getOrDefault("x-amz-security-token", List.of()).equals(List.of("tok/en=="));
            } catch (Exception e) {
                valid = false;
            }
            verdicts.add(valid ? "valid" : "invalid");
            byte[] answer = (valid ? "{\"echo\":" + (body.length == 0 ? "null" : new String(body, StandardCharsets.UTF_8))
                    + ",\"path\":\"" + exchange.getRequestURI().getRawPath() + "\"}"
                    : "{\"message\":\"Forbidden\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(valid ? 200 : 403, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private ApiClient client(String secret) {
        return new ApiClient(base, new SigV4Signer(StaticCredentialsProvider.create(
                AwsSessionCredentials.create("ASIATESTKEY", secret, "tok/en==")), "eu-west-1", Clock.systemUTC()));
    }

    @Test
    void signedRequests_withABodyAQueryAndEncodedSegments_verifyAsApiGatewayChecksThem() {
        try (ApiClient api = client(SECRET)) {
            JsonNode created = api.post(ApiPath.of("v1", "tenants", "t 1", "endpoints"),
                    Map.of("url", "https://example.com/hook", "eventTypes", List.of("a.b")));
            JsonNode listed = api.get(ApiPath.of("v1", "tenants", "_", "deliveries").query("status", "FAILED")
                    .query("limit", 3).query("cursor", "a+b/c="));
            JsonNode patched = api.patch(ApiPath.of("v1", "tenants", "t1"), Map.of("allowedHosts", List.of()));

            assertThat(verdicts).containsExactly("valid", "valid", "valid");
            assertThat(created.get("echo").get("url").asText()).isEqualTo("https://example.com/hook");
            assertThat(created.get("path").asText()).isEqualTo("/prod/v1/tenants/t%201/endpoints");
            assertThat(listed.get("echo").isNull()).isTrue();
            assertThat(patched.get("echo").get("allowedHosts")).isEmpty();
        }
    }

    @Test
    void aBodyChangedInTransit_orAWrongSecret_isRefused_andReportedAsACredentialsProblem() {
        tamper = " ";
        try (ApiClient api = client(SECRET)) {
            assertThatThrownBy(() -> api.post(ApiPath.of("v1", "tenants"), Map.of("tenantId", "t1")))
                    .isInstanceOf(CliException.class)
                    .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.AWS))
                    .hasMessageContaining("refused POST /v1/tenants (403: Forbidden)")
                    .hasMessageContaining("execute-api:Invoke");
        }
        tamper = "";
        try (ApiClient api = client("another-secret")) {
            assertThatThrownBy(() -> api.get(ApiPath.of("v1", "tenants"))).isInstanceOf(CliException.class);
        }
        assertThat(verdicts).containsExactly("invalid", "invalid");
    }
}
