package dev.ben.examples.invoices.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.cli.BenCli;
import dev.ben.core.webhooks.SignedHeaders;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.examples.invoices.InvoicesExample;
import dev.ben.examples.invoices.PointsLedger;
import dev.ben.local.runtime.AwsTarget;
import dev.ben.local.runtime.InvocationResult;
import dev.ben.local.runtime.LocalLambdaRuntime;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The invoices example end to end with system A's real functions (notify, retry, sweeper, status API) and B's
 * (points receiver, the reconcile library's generic function) on the local stack and local Lambda runtime. B credits
 * points with a plain ADD, so any double effect would show in the balances' credit counts.
 */
@ExtendWith(LocalAwsExtension.class)
class PointsEndToEndIT {

    private static final String TOKEN = "points-e2e-token";
    private static final int INVOICES = 10;
    private static final int PAID = 6;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void receiverDownForTheRetryWindow_failed_thenStormOfOne_reconcileConverges_lateWebhookReplayed(LocalAws aws)
            throws Exception {
        BenSettings settings = InvoicesExample.settings();
        String prefix = "pts" + UUID.randomUUID().toString().substring(0, 6) + "-";
        ProvisionedResources resources = aws.provision(settings, prefix);
        AwsTarget target = new AwsTarget(aws.region(), aws.dynamoDbEndpoint(), aws.sqsEndpoint(), aws.dynamoDb(),
                aws.dynamoDbStreams(), aws.sqs(), resources.tableNames(), resources.queueUrls(),
                resources.environment());
        PrintStream quiet = Boolean.getBoolean("ben.verbose") ? System.out
                : new PrintStream(OutputStream.nullOutputStream());
        WebhookSecret secret = WebhookSecret.generate();
        String deadUrl = "http://127.0.0.1:" + freePort() + InvoicesExample.WEBHOOK_ROUTE; // nobody listens
        PointsLedger ledger = new PointsLedger(aws.dynamoDb(), resources.tableName(InvoicesExample.AWAITING_TABLE),
                resources.tableName(InvoicesExample.BALANCES_TABLE));

        try (LocalLambdaRuntime systemA = LocalLambdaRuntime.builder(settings, target)
                .only("notify", "retry", "sweeper", "status-api", BenSettings.MANAGEMENT_FUNCTION)
                .environment(EnvVars.DECLARATION, InvoicesExample.declarationJson())
                .environment(EnvVars.ALLOW_PRIVATE_ADDRESSES, "true")
                .environment(EnvVars.RETRY_SCHEDULE, "1s,1s,1s")
                // the dead receiver opens its circuit and later deliveries are parked: they end by max age
                .environment("BEN_RETRY_MAX_AGE", "20s")
                .environment("BEN_RETRY_JITTER", "0")
                .environment("BEN_SWEEPER_GRACE", "3s")
                .environment("BEN_ENDPOINT_CACHE", "0s")
                .environment("BEN_HTTP_TIMEOUT", "2s")
                .environment(EnvVars.STATUS_API_TOKEN, TOKEN)
                .environment(EnvVars.MANAGEMENT_API_TOKEN, TOKEN)
                .schedule("ben-sweeper", Duration.ofSeconds(1))
                .streamRetryDelay(Duration.ofMillis(200))
                .output(quiet)
                .start()) {
            addEndpoint(systemA.httpEndpoint(BenSettings.MANAGEMENT_API), deadUrl, secret.encoded());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < INVOICES; i++) {
                String id = prefix + "inv-" + i;
                ids.add(id);
                issueInvoiceAtA(aws, resources, id, customer(id), 100 + i);
                ledger.await(id, customer(id), 1, Instant.now()); // B awaits its payment
            }
            for (int i = 0; i < PAID; i++) {
                payAtA(aws, resources, ids.get(i));
            }

            boolean allFailed = await(Duration.ofSeconds(90), () -> deliveryCounts(aws, resources)
                    .getOrDefault("FAILED", 0L) == PAID);
            Map<String, Long> deliveries = deliveryCounts(aws, resources);
            System.out.printf("points e2e: A paid %d of %d invoices; B's receiver down (%s); A's deliveries %s;"
                    + " B %s, credits %s%n", PAID, INVOICES, deadUrl, deliveries, statuses(ledger, ids),
                    credits(ledger, ids));
            assertThat(allFailed).as("every delivery FAILED after the compressed retry window").isTrue();
            assertThat(statuses(ledger, ids)).containsExactly(Map.entry(PointsLedger.AWAITING, (long) INVOICES));

            Map<String, String> reconcileEnv = new HashMap<>(InvoicesExample.reconcileEnvironment(
                    resources.tableNames()));
            reconcileEnv.put(EnvVars.STATUS_API_URL, systemA.httpEndpoint(BenSettings.SENDER_API).toString());
            reconcileEnv.put(EnvVars.STATUS_API_TOKEN, TOKEN);
            try (LocalLambdaRuntime systemB = LocalLambdaRuntime.builder(settings, target)
                    .only(InvoicesExample.RECEIVER_FUNCTION, InvoicesExample.RECONCILE_FUNCTION)
                    .environment(EnvVars.RECEIVER_SECRETS, secret.encoded())
                    .environment(InvoicesExample.RECONCILE_FUNCTION, reconcileEnv)
                    .schedule(InvoicesExample.RECONCILE_SCHEDULE, Duration.ofHours(1))
                    .output(quiet)
                    .start()) {
                URI webhook = systemB.httpEndpoint(InvoicesExample.RECEIVER_API).resolve(InvoicesExample.WEBHOOK_ROUTE);

                // B is back; a duplicate storm of invoice 0's real (FAILED) delivery: 50 at once, as A would sign it
                Map<String, AttributeValue> first = delivery(aws, resources, ids.get(0));
                List<HttpResponse<String>> storm = concurrently(50, () -> post(webhook, secret,
                        first.get("eventId").s(), first.get("payload").s()));
                Map<String, Long> stormOutcomes = outcomes(storm);
                long creditsAfterStorm = ledger.balance(customer(ids.get(0))).credits();

                InvocationResult run = systemB.fireSchedule(InvoicesExample.RECONCILE_SCHEDULE);
                Map<String, Long> bAfter = statuses(ledger, ids);
                InvocationResult again = systemB.fireSchedule(InvoicesExample.RECONCILE_SCHEDULE);

                // a late webhook for an invoice reconcile credited: the same event id and body → replayed
                Map<String, AttributeValue> late = delivery(aws, resources, ids.get(1));
                HttpResponse<String> lateResponse = post(webhook, secret, late.get("eventId").s(),
                        late.get("payload").s());

                System.out.printf("points e2e: storm of 50 -> %s, credits of %s = %d; reconcile run %s; B after %s;"
                        + " second run %s; late webhook -> %d replayed=%s; credits %s%n", stormOutcomes, ids.get(0),
                        creditsAfterStorm, response(run), bAfter, response(again), lateResponse.statusCode(),
                        lateResponse.headers().firstValue("idempotent-replayed").orElse("-"), credits(ledger, ids));
                assertThat(creditsAfterStorm).isEqualTo(1);
                assertThat(storm).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 409);
                assertThat(storm.stream().filter(r -> r.statusCode() == 200
                        && r.headers().firstValue("idempotent-replayed").isEmpty())).hasSize(1);
                assertThat(response(run)).containsEntry("checked", INVOICES - 1).containsEntry("applied", PAID - 1)
                        .containsEntry("notFound", INVOICES - PAID).containsEntry("errors", 0)
                        .containsEntry("stop", "END_OF_ROUND");
                assertThat(bAfter).containsExactly(Map.entry(PointsLedger.AWAITING, (long) (INVOICES - PAID)),
                        Map.entry(PointsLedger.CREDITED, (long) PAID));
                assertThat(response(again)).containsEntry("checked", INVOICES - PAID).containsEntry("applied", 0);
                assertThat(lateResponse.statusCode()).isEqualTo(200);
                assertThat(lateResponse.headers().firstValue("idempotent-replayed")).contains("true");
                for (int i = 0; i < INVOICES; i++) {
                    PointsLedger.Balance balance = ledger.balance(customer(ids.get(i)));
                    assertThat(balance.credits()).as(ids.get(i)).isEqualTo(i < PAID ? 1 : 0);
                    assertThat(balance.points()).as(ids.get(i)).isEqualTo(i < PAID ? 100 + i : 0);
                }
            }
        }
    }

    private static String customer(String invoiceId) {
        return "cust-" + invoiceId;
    }

    private HttpResponse<String> post(URI uri, WebhookSecret secret, String eventId, String body) {
        SignedHeaders signed = WebhookSigner.of(secret).sign(eventId, body);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        signed.asMap().forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<HttpResponse<String>> concurrently(int n,
            Supplier<HttpResponse<String>> call) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return call.get();
                }, pool));
            }
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : futures) {
                responses.add(f.get(60, TimeUnit.SECONDS));
            }
            return responses;
        }
    }

    private static Map<String, Long> outcomes(List<HttpResponse<String>> responses) {
        return responses.stream().collect(Collectors.groupingBy(r -> r.statusCode()
                + (r.headers().firstValue("idempotent-replayed").isPresent() ? " replayed" : ""),
                TreeMap::new, Collectors.counting()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> response(InvocationResult result) {
        assertThat(result).isInstanceOf(InvocationResult.Success.class);
        return (Map<String, Object>) ((InvocationResult.Success) result).response();
    }

    /** Registers B's endpoint as an operator does: {@code ./ben endpoints add} (Ben's CLI, in-process). */
    private static void addEndpoint(URI api, String url, String secret) {
        StringWriter out = new StringWriter();
        int code = BenCli.run(new String[] {"--api-url", api.toString(), "--api-token", TOKEN,
                        "endpoints", "add", url, "--id", "ep-points", "--event-type", InvoicesExample.INVOICE_PAID,
                        "--secret", secret, "--allow-private"},
                Map.of(), new PrintWriter(out), new PrintWriter(out));
        assertThat(code).as(out.toString()).isZero();
    }

    private static void issueInvoiceAtA(LocalAws aws, ProvisionedResources resources, String invoiceId,
            String customerId, long points) {
        aws.dynamoDb().putItem(put -> put.tableName(resources.tableName(InvoicesExample.SOURCE_TABLE)).item(Map.of(
                "invoiceId", AttributeValue.fromS(invoiceId), "customerId", AttributeValue.fromS(customerId),
                "status", AttributeValue.fromS("OPEN"), "version", AttributeValue.fromN("1"),
                "points", AttributeValue.fromN(Long.toString(points)))));
    }

    private static void payAtA(LocalAws aws, ProvisionedResources resources, String invoiceId) {
        aws.dynamoDb().updateItem(update -> update.tableName(resources.tableName(InvoicesExample.SOURCE_TABLE))
                .key(Map.of("invoiceId", AttributeValue.fromS(invoiceId)))
                .updateExpression("SET #s = :paid, version = version + :one")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":paid", AttributeValue.fromS("PAID"),
                        ":one", AttributeValue.fromN("1"))));
    }

    private static Map<String, AttributeValue> delivery(LocalAws aws, ProvisionedResources resources, String entity) {
        return aws.dynamoDb().scan(scan -> scan.tableName(resources.tableName(BenSettings.DELIVERIES_TABLE))
                .consistentRead(true)).items().stream()
                .filter(item -> item.containsKey("entityId") && item.get("entityId").s().equals(entity))
                .findFirst().orElseThrow();
    }

    private static Map<String, Long> deliveryCounts(LocalAws aws, ProvisionedResources resources) {
        return aws.dynamoDb().scan(scan -> scan.tableName(resources.tableName(BenSettings.DELIVERIES_TABLE))
                        .consistentRead(true)).items().stream()
                .collect(Collectors.groupingBy(item -> item.get("status").s(), TreeMap::new, Collectors.counting()));
    }

    private static Map<String, Long> statuses(PointsLedger ledger, List<String> ids) {
        return ids.stream().map(id -> ledger.status(id).orElse("UNKNOWN"))
                .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
    }

    private static Map<String, Long> credits(PointsLedger ledger, List<String> ids) {
        return ids.stream().collect(Collectors.toMap(id -> id.substring(id.indexOf("inv-")),
                id -> ledger.balance(customer(id)).credits(), (a, b) -> a, TreeMap::new));
    }

    private static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
