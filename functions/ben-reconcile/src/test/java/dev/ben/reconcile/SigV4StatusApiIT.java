package dev.ben.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Reconcile's status API client against a real HTTP server playing the IAM-authorized route: the server checks
 * every request's SigV4 signature with the test's own from-spec implementation and answers 403 when it fails.
 */
class SigV4StatusApiIT {

    private static final String SECRET = "test-secret-key/with+chars";
    private static final String PAYLOAD = "{\"type\":\"x.changed\", \"data\":{\"state\":\"DONE\"}}";
    private final List<String> verdicts = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/prod/entities/", this::handle);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prod");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        boolean valid;
        try {
            valid = SigV4Verifier.verify(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, Map.of("ASIATESTKEY", SECRET))
                    && headers.getOrDefault("x-amz-security-token", List.of()).equals(List.of("tok/en=="));
        } catch (Exception e) {
            valid = false;
        }
        verdicts.add(valid ? "valid" : "invalid");
        String raw = exchange.getRequestURI().getRawPath();
        String entityId = URLDecoder.decode(raw.substring("/prod/entities/".length(),
                raw.length() - "/events".length()), StandardCharsets.UTF_8);
        byte[] body = (valid
                ? "{\"entityId\":\"" + entityId + "\",\"events\":[{\"eventId\":\"evt_1\",\"type\":\"x.changed\","
                + "\"version\":3,\"sequence\":\"100000000000000000001\",\"createdAt\":\"2026-11-30T00:00:01Z\","
                + "\"payload\":" + PAYLOAD + "}]}"
                : "{\"message\":\"Forbidden\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(valid ? 200 : 403, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static SigV4RequestSigner signer(String secret) {
        return new SigV4RequestSigner(StaticCredentialsProvider.create(
                AwsSessionCredentials.create("ASIATESTKEY", secret, "tok/en==")), "us-east-1", Clock.systemUTC());
    }

    @Test
    void events_signedWithRoleCredentials_areAcceptedByTheSignatureCheckingServer() {
        StatusApi api = HttpStatusApi.create(base, signer(SECRET));

        StatusApi.Lookup lookup = api.events("ent-7.a_b:c", "");

        assertThat(verdicts).containsExactly("valid");
        assertThat(lookup).isEqualTo(new StatusApi.Lookup.Found(List.of(new StatusEvent("evt_1", "x.changed",
                Optional.of(BigInteger.valueOf(3)), Optional.of(new BigInteger("100000000000000000001")),
                Instant.parse("2026-11-30T00:00:01Z"), PAYLOAD))));
    }

    @Test
    void events_signedWithWrongSecret_isRefusedWith403_andReportedAsNonRetryableFailure() {
        StatusApi api = HttpStatusApi.create(base, signer("not-the-secret"));

        StatusApi.Lookup lookup = api.events("ent-8", "");

        assertThat(verdicts).containsExactly("invalid");
        assertThat(lookup).isInstanceOf(StatusApi.Lookup.Failed.class);
        assertThat(((StatusApi.Lookup.Failed) lookup).reason()).contains("403");
    }
}
