package dev.ben.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.ben.cli.BenCli;
import dev.ben.core.webhooks.WebhookVerifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code ./ben-local --config FILE} on a declaration that is not the example's (an {@code invoices} table keyed by
 * {@code tenantId} + {@code invoiceId}, a BOOL rule with a tenant, a numeric-change rule): the launcher creates the
 * table from the key schema, runs Ben, and prints what a user needs; following the printed {@code ./ben endpoints
 * add} command, an item written to the table reaches a real HTTP endpoint, signed.
 */
class BenLocalConfigIT {

    static final String INVOICES = """
            {
              "sources": [{
                "name": "invoices",
                "table": "invoices",
                "partitionKey": {"name": "tenantId", "type": "S"},
                "sortKey": {"name": "invoiceId", "type": "S"},
                "rules": [{
                  "eventType": "invoice.settled",
                  "when": {"attribute": "settled", "becomes": true},
                  "tenant": "tenantId",
                  "payload": {"attributes": ["invoiceId", "total", "settled"]}
                }, {
                  "eventType": "invoice.state",
                  "on": ["MODIFY"],
                  "when": {"attribute": "state", "changes": true},
                  "tenant": "tenantId",
                  "payload": "newImage"
                }]
              }]
            }
            """;

    record Received(Map<String, String> headers, byte[] body) {
    }

    @Test
    void aUsersDeclaration_runsLocally_andAWrittenItemReachesTheEndpointAddedAsPrinted(@TempDir Path dir)
            throws Exception {
        Path config = Files.writeString(dir.resolve("ben.json"), INVOICES);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = receiver(received);
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/invoices";

        try (BenLocalMain.Running running = BenLocalMain.start(new String[] {"--config", config.toString(),
                "--status-port", "0"}, new PrintStream(console, true, StandardCharsets.UTF_8), Optional.empty())) {
            LocalBen ben = running.ben();
            String printed = console.toString(StandardCharsets.UTF_8);

            assertThat(ben.runtime().deployedFunctions()).containsExactly("notify", "retry", "sweeper", "status-api",
                    "management-api");
            assertThat(ben.managementApi()).isPresent();
            assertThat(printed).contains("management API " + ben.managementApi().get() + "  token (this run only) "
                    + ben.managementApiToken()).contains("POST /v1/tenants/{tenantId}/endpoints  -> management-api");
            HttpResponse<String> tenants = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    ben.managementApi().get().resolve("/v1/tenants")).header("Authorization", "Bearer "
                    + ben.managementApiToken()).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    ben.managementApi().get().resolve("/v1/tenants")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(tenants.statusCode()).as(tenants.body()).isEqualTo(200);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(printed).contains("Declaration: " + config.toAbsolutePath())
                    .contains("source table  invoices  key tenantId (S) + invoiceId (S)  events invoice.settled,"
                            + " invoice.state")
                    .contains("HTTP API sender-api  " + ben.statusApi() + "  (status API")
                    .contains("GET /entities/{entityId}/events  -> status-api")
                    .contains("table  ben-endpoints").contains("queue  ").contains("Status page: " + running.statusPage())
                    .doesNotContain("receiver secret");
            assertThat(ben.aws().dynamoDb().describeTable(b -> b.tableName("invoices")).table().keySchema())
                    .extracting(k -> k.attributeName() + "/" + k.keyTypeAsString())
                    .containsExactly("tenantId/HASH", "invoiceId/RANGE");

            String secret = addEndpointAsPrinted(printed, url, "tenant-a");
            ben.aws().dynamoDb().putItem(b -> b.tableName("invoices").item(Map.of(
                    "tenantId", AttributeValue.fromS("tenant-a"), "invoiceId", AttributeValue.fromS("inv-1"),
                    "total", AttributeValue.fromN("120.50"), "settled", AttributeValue.fromBool(true))));
            awaitRequests(received, 1);

            Received request = received.getFirst();
            String body = new String(request.body(), StandardCharsets.UTF_8);
            assertThat(body).startsWith("{\"type\":\"invoice.settled\",\"id\":\"evt_")
                    .contains("\"entityId\":\"tenant-a|inv-1\"", "\"tenantId\":\"tenant-a\"",
                            "\"data\":{\"invoiceId\":\"inv-1\",\"total\":", "\"settled\":true}");
            assertThat(WebhookVerifier.builder().secrets(secret).build().verify(request.headers(), request.body())
                    .verified()).as("signed with the endpoint's secret").isTrue();
            HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            ben.statusApi().resolve("/entities/tenant-a%7Cinv-1/events?tenant=tenant-a"))
                    .header("Authorization", "Bearer " + ben.statusApiToken()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
            assertThat(status.body()).contains("invoice.settled");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aBadDeclaration_isRefusedBeforeAnythingStarts_namingTheFieldAndTheFile(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("bad.json"), INVOICES.replace("\"becomes\": true", "\"becomes\": null"));

        assertThatThrownBy(() -> BenLocalMain.start(new String[] {"--config", config.toString()},
                new PrintStream(new ByteArrayOutputStream()), Optional.empty()))
                .isInstanceOf(BenLocalMain.UsageException.class)
                .hasMessageContaining(config.toString()).hasMessageContaining("becomes");
        assertThatThrownBy(() -> BenLocalMain.start(new String[] {"--config", dir.resolve("none.json").toString()},
                new PrintStream(new ByteArrayOutputStream()), Optional.empty()))
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> BenLocalMain.start(new String[0], new PrintStream(new ByteArrayOutputStream()),
                Optional.empty())).hasMessageContaining("give --config FILE");
    }

    @Test
    void help_documentsConfig() {
        assertThat(BenLocalMain.usage(Optional.empty()).replaceAll("\\s+", " "))
                .contains("usage: ./ben-local [--config FILE]")
                .contains("--config FILE").contains("./ben endpoints add").contains("--status-port P");
    }

    /** Runs the printed {@code ./ben ... endpoints add URL ...} line (in-process) for {@code url}; its secret. */
    private static String addEndpointAsPrinted(String printed, String url, String tenant) {
        Matcher line = Pattern.compile("\\./ben (--api-url \\S+ --api-token \\S+ endpoints add) \\S+ (.*)").matcher(printed);
        assertThat(line.find()).as("an ./ben endpoints add line in:%n%s", printed).isTrue();
        List<String> args = new ArrayList<>(Arrays.asList(line.group(1).split(" ")));
        args.add(url);
        args.addAll(Arrays.asList(line.group(2).trim().split(" ")));
        args.addAll(List.of("--tenant", tenant));
        StringWriter out = new StringWriter();
        int code = BenCli.run(args.toArray(String[]::new), Map.of(), new PrintWriter(out), new PrintWriter(out));
        assertThat(code).as(out.toString()).isZero();
        Matcher secret = Pattern.compile("(whsec_\\S+)").matcher(out.toString());
        assertThat(secret.find()).as(out.toString()).isTrue();
        return secret.group(1);
    }

    private static HttpServer receiver(List<Received> received) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/", exchange -> {
            try (exchange) {
                Map<String, String> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT),
                        v.getFirst()));
                received.add(new Received(headers, exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
        return server;
    }

    private static void awaitRequests(List<Received> received, int count) throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        while (received.size() < count && Instant.now().isBefore(end)) {
            Thread.sleep(100);
        }
        assertThat(received).as("requests at the endpoint").hasSizeGreaterThanOrEqualTo(count);
    }
}
