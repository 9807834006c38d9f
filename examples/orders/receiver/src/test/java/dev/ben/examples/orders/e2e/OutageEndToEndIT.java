package dev.ben.examples.orders.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.cli.BenCli;
import dev.ben.core.webhooks.SignedHeaders;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.events.SampleEvents;
import dev.ben.examples.orders.OrdersExample;
import dev.ben.examples.orders.reconcile.OrdersReconcileTarget;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.internal.DynamoDbOrderStore;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The outage the design is for, end to end with system A's real functions (notify, retry, sweeper, status API)
 * and system B's (receiver, reconcile) on the local stack and local Lambda runtime:
 * B's receiver is down for the whole (compressed) retry window → A marks the deliveries FAILED; B comes back and
 * its next scheduled reconcile run asks A's status API over HTTP and makes B consistent.
 */
@ExtendWith(LocalAwsExtension.class)
class OutageEndToEndIT {

    private static final String TOKEN = "e2e-status-token";
    private static final int ORDERS = 10;
    private static final int PAID = 6;

    @Test
    void receiverDownForTheWholeRetryWindow_deliveriesFail_thenReconcileMakesBConsistent(LocalAws aws)
            throws Exception {
        String declaration = SampleEvents.demoDeclarationJson();
        BenSettings settings = OrdersExample.settings();
        String prefix = "e2e" + UUID.randomUUID().toString().substring(0, 6) + "-";
        ProvisionedResources resources = aws.provision(settings, prefix);
        AwsTarget target = new AwsTarget(aws.region(), aws.dynamoDbEndpoint(), aws.sqsEndpoint(), aws.dynamoDb(),
                aws.dynamoDbStreams(), aws.sqs(), resources.tableNames(), resources.queueUrls(),
                resources.environment());
        PrintStream quiet = Boolean.getBoolean("ben.verbose") ? System.out
                : new PrintStream(OutputStream.nullOutputStream());
        WebhookSecret secret = WebhookSecret.generate();
        String deadUrl = "http://127.0.0.1:" + freePort() + "/webhooks/orders"; // B's receiver: nobody listens
        DynamoDbOrderStore bOrders = new DynamoDbOrderStore(aws.dynamoDb(),
                resources.tableName(OrdersExample.RECEIVER_ORDERS_TABLE), Clock.systemUTC());

        try (LocalLambdaRuntime systemA = LocalLambdaRuntime.builder(settings, target)
                .only("notify", "retry", "sweeper", "status-api", BenSettings.MANAGEMENT_FUNCTION)
                .environment(EnvVars.DECLARATION, declaration)
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
            addEndpoint(systemA.httpEndpoint(BenSettings.MANAGEMENT_API), "ep-system-b", deadUrl, secret.encoded());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                String id = prefix + "ord-" + i;
                ids.add(id);
                createOrderAtA(aws, resources, id);
                bOrders.apply(new OrderState(id, "PENDING", 1, Instant.now().toString())); // B knows it as PENDING
            }
            for (int i = 0; i < PAID; i++) {
                markPaidAtA(aws, resources, ids.get(i));
            }

            boolean allFailed = await(Duration.ofSeconds(90), () -> deliveryCounts(aws, resources)
                    .getOrDefault("FAILED", 0L) == PAID);
            Map<String, Long> deliveries = deliveryCounts(aws, resources);
            Map<String, Long> bBefore = statusCounts(bOrders, ids);
            System.out.printf("outage e2e: A paid %d of %d orders; B's receiver down (%s); A's deliveries %s;"
                    + " B before reconcile %s%n", PAID, ORDERS, deadUrl, deliveries, bBefore);
            assertThat(allFailed).as("every delivery FAILED after the compressed retry window").isTrue();
            assertThat(bBefore).containsExactly(Map.entry("PENDING", (long) ORDERS));

            Map<String, String> reconcileEnv = new HashMap<>(OrdersExample.reconcileEnvironment(
                    resources.tableNames()));
            reconcileEnv.put(EnvVars.STATUS_API_URL, systemA.httpEndpoint(BenSettings.SENDER_API).toString());
            reconcileEnv.put(EnvVars.STATUS_API_TOKEN, TOKEN);
            reconcileEnv.put(OrdersReconcileTarget.PENDING_AFTER, "PT0S");
            try (LocalLambdaRuntime systemB = LocalLambdaRuntime.builder(settings, target)
                    .only("receiver", "reconcile")
                    .environment(EnvVars.RECEIVER_SECRETS, secret.encoded())
                    .environment("reconcile", reconcileEnv)
                    .schedule("ben-reconcile", Duration.ofHours(1))
                    .output(quiet)
                    .start()) {
                InvocationResult run = systemB.fireSchedule("ben-reconcile");
                Map<String, Long> bAfter = statusCounts(bOrders, ids);
                InvocationResult again = systemB.fireSchedule("ben-reconcile");

                // The sender's events are still replayable: one arriving now at the receiver (up again) is stale.
                String lateEventBody = "{\"type\":\"order.paid\",\"id\":\"evt_late\",\"timestamp\":\""
                        + Instant.now() + "\",\"data\":{\"orderId\":\"" + ids.getFirst()
                        + "\",\"status\":\"PAID\",\"version\":2}}";
                SignedHeaders signed = WebhookSigner.of(secret).sign("evt_late_" + prefix, lateEventBody);
                HttpRequest.Builder late = HttpRequest.newBuilder(systemB.httpEndpoint(OrdersExample.RECEIVER_API)
                        .resolve("/webhooks/orders")).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(lateEventBody));
                signed.asMap().forEach(late::header);
                HttpResponse<String> lateResponse = HttpClient.newHttpClient()
                        .send(late.build(), HttpResponse.BodyHandlers.ofString());

                System.out.printf("outage e2e: reconcile run %s; B after %s; second run %s; late webhook -> %d %s%n",
                        response(run), bAfter, response(again), lateResponse.statusCode(), lateResponse.body());
                assertThat(response(run)).containsEntry("checked", ORDERS).containsEntry("applied", PAID)
                        .containsEntry("notFound", ORDERS - PAID).containsEntry("errors", 0);
                assertThat(bAfter).containsExactly(Map.entry("PAID", (long) PAID),
                        Map.entry("PENDING", (long) (ORDERS - PAID)));
                assertThat(response(again)).containsEntry("applied", 0).containsEntry("checked", ORDERS - PAID);
                for (int i = 0; i < PAID; i++) {
                    assertThat(bOrders.find(ids.get(i))).get().extracting(OrderState::version).isEqualTo(2L);
                }
                assertThat(lateResponse.statusCode()).isEqualTo(200);
                assertThat(lateResponse.body()).contains("\"result\":\"stale\"");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> response(InvocationResult result) {
        assertThat(result).isInstanceOf(InvocationResult.Success.class);
        return (Map<String, Object>) ((InvocationResult.Success) result).response();
    }

    /** Registers B's endpoint as an operator does: {@code ./ben endpoints add} (Ben's CLI, in-process, on A's API). */
    private static void addEndpoint(URI api, String id, String url, String secret) {
        StringWriter out = new StringWriter();
        int code = BenCli.run(new String[] {"--api-url", api.toString(), "--api-token", TOKEN,
                        "endpoints", "add", url, "--id", id, "--event-type", OrdersExample.ORDER_PAID,
                        "--secret", secret, "--allow-private"},
                Map.of(), new PrintWriter(out), new PrintWriter(out));
        assertThat(code).as(out.toString()).isZero();
    }

    private static void createOrderAtA(LocalAws aws, ProvisionedResources resources, String orderId) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("orderId", AttributeValue.fromS(orderId));
        item.put("status", AttributeValue.fromS("PENDING"));
        item.put("version", AttributeValue.fromN("1"));
        item.put("amount", AttributeValue.fromN("4999"));
        item.put("currency", AttributeValue.fromS("EUR"));
        item.put("updatedAt", AttributeValue.fromS(Instant.now().toString()));
        aws.dynamoDb().putItem(put -> put.tableName(resources.tableName(SampleEvents.DEMO_SOURCE)).item(item));
    }

    private static void markPaidAtA(LocalAws aws, ProvisionedResources resources, String orderId) {
        aws.dynamoDb().updateItem(update -> update.tableName(resources.tableName(SampleEvents.DEMO_SOURCE))
                .key(Map.of("orderId", AttributeValue.fromS(orderId)))
                .updateExpression("SET #s = :paid, version = version + :one, updatedAt = :now")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":paid", AttributeValue.fromS("PAID"),
                        ":one", AttributeValue.fromN("1"), ":now", AttributeValue.fromS(Instant.now().toString()))));
    }

    private static Map<String, Long> deliveryCounts(LocalAws aws, ProvisionedResources resources) {
        return aws.dynamoDb().scan(scan -> scan.tableName(resources.tableName(BenSettings.DELIVERIES_TABLE))
                        .consistentRead(true)).items().stream()
                .collect(Collectors.groupingBy(item -> item.get("status").s(), TreeMap::new, Collectors.counting()));
    }

    private static Map<String, Long> statusCounts(DynamoDbOrderStore orders, List<String> ids) {
        return ids.stream().map(id -> orders.find(id).orElseThrow().status())
                .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
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
