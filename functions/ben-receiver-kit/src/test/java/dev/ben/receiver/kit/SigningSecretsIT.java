package dev.ben.receiver.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The secret sources against a real HTTP server speaking the two services' JSON protocol (the local stack has neither
 * Secrets Manager nor SSM, so this one edge has a test double): the real SDK clients send signed
 * {@code GetSecretValue} / {@code GetParameter} (with decryption) requests and read the answers.
 */
class SigningSecretsIT {

    private static final String LIST = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI endpoint;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(target + " " + body.replace(" ", "") + " signed=" + auth.startsWith("AWS4-HMAC-SHA256"));
            String answer;
            if ("secretsmanager.GetSecretValue".equals(target) && body.contains("\"ben/receiver\"")) {
                answer = "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:123456789012:secret:ben/receiver-AbCdEf\","
                        + "\"Name\":\"ben/receiver\",\"SecretString\":\"" + LIST + "\",\"VersionId\":\"v1\"}";
            } else if ("AmazonSSM.GetParameter".equals(target) && body.contains("\"/ben/receiver/secrets\"")) {
                answer = "{\"Parameter\":{\"Name\":\"/ben/receiver/secrets\",\"Type\":\"SecureString\",\"Value\":\""
                        + LIST + "\",\"Version\":3}}";
            } else {
                send(exchange, 400, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"not found\"}");
                return;
            }
            send(exchange, 200, answer);
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .build();
    }

    private SsmClient ssm() {
        return SsmClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .build();
    }

    @Test
    void secretsManager_readsTheSecretString_withASignedGetSecretValue_andItVerifiesWebhooks() {
        String list = SigningSecrets.secretsManager(secretsManager(), "ben/receiver").read();

        assertThat(list).isEqualTo(LIST);
        assertThat(requests).singleElement().asString().startsWith("secretsmanager.GetSecretValue")
                .contains("\"SecretId\":\"ben/receiver\"").endsWith("signed=true");
        assertThat(WebhookReceiver.builder().secretList(list).executor(IdempotentExecutor.builder().scope("t")
                .store(new InMemoryStore()).build()).build()).isNotNull();
    }

    @Test
    void parameterStore_readsTheDecryptedValue_withASignedGetParameter() {
        String list = SigningSecrets.parameterStore(ssm(), "/ben/receiver/secrets").read();

        assertThat(list).isEqualTo(LIST);
        assertThat(requests).singleElement().asString().startsWith("AmazonSSM.GetParameter")
                .contains("\"Name\":\"/ben/receiver/secrets\"").contains("\"WithDecryption\":true")
                .endsWith("signed=true");
    }

    @Test
    void anUnknownSecret_failsWithTheServicesError() {
        assertThatThrownBy(() -> SigningSecrets.secretsManager(secretsManager(), "other").read())
                .hasMessageContaining("not found");
    }

    @Test
    void fromEnvironment_exactlyOneSourceMustBeNamed_thePlainListIsForLocalRuns() {
        assertThat(SigningSecrets.fromEnvironment(Map.of(SigningSecrets.PLAIN, LIST))).isEqualTo(LIST);
        assertThatThrownBy(() -> SigningSecrets.source(Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(SigningSecrets.SECRET_ARN)
                .hasMessageContaining(SigningSecrets.PARAMETER).hasMessageContaining("0 are set");
        assertThatThrownBy(() -> SigningSecrets.source(Map.of(SigningSecrets.PLAIN, LIST, SigningSecrets.PARAMETER,
                "/p"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("2 are set");
    }
}
