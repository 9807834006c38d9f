package dev.ben.examples.orders.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.examples.orders.OrdersExample;
import dev.ben.examples.orders.internal.JsonLines;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.internal.DynamoDbOrderStore;
import dev.ben.examples.orders.testing.FakeStatusApiServer;
import dev.ben.examples.orders.testing.HttpApiFront;
import dev.ben.examples.orders.webhook.ReceiverHandler;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.reconcile.ReconcileHandler;
import dev.ben.settings.EnvVars;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The orders example's reconciliation — the reconcile library's generic function with {@link OrdersReconcileTarget}
 * — on the local stack against system A's status API served over real HTTP with real JSON. A here is
 * {@link FakeStatusApiServer} (test code following the status API contract), not the sender's StatusApiHandler;
 * {@code OutageEndToEndIT} uses the real one.
 */
@ExtendWith(LocalAwsExtension.class)
class ReconcileIT {

    private static final String TOKEN = "local-status-token";
    private static final String LONG_AGO = Instant.now().minus(Duration.ofHours(1)).toString();

    private record Stack(ProvisionedResources resources, DynamoDbOrderStore orders, Map<String, String> env) {
    }

    private Stack stack(LocalAws aws, String prefix, FakeStatusApiServer a) {
        ProvisionedResources resources = aws.provision(OrdersExample.settings(), prefix);
        Map<String, String> env = new HashMap<>(resources.environment());
        env.putAll(OrdersExample.reconcileEnvironment(resources.tableNames()));
        env.put(EnvVars.STATUS_API_URL, a.baseUri().toString());
        env.put(EnvVars.STATUS_API_TOKEN, TOKEN);
        env.put(OrdersReconcileTarget.PENDING_AFTER, "PT10M");
        return new Stack(resources, new DynamoDbOrderStore(aws.dynamoDb(),
                resources.tableName(OrdersExample.RECEIVER_ORDERS_TABLE), Clock.systemUTC()), env);
    }

    /** B holds {@code n} orders PENDING v1 (created an hour ago); A has paid the first {@code paid} of them. */
    private static List<String> seed(Stack stack, FakeStatusApiServer a, String prefix, int n, int paid) {
        List<String> ids = IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
        for (int i = 0; i < n; i++) {
            stack.orders().apply(new OrderState(ids.get(i), "PENDING", 1, LONG_AGO));
            if (i < paid) {
                a.put(ids.get(i), "PAID", 2, Instant.now().minusSeconds(3000).toString());
            } else {
                a.put(ids.get(i), "PENDING", 1, LONG_AGO);
            }
        }
        return ids;
    }

    private static Map<String, Long> counts(Stack stack, List<String> ids) {
        return ids.stream().map(id -> stack.orders().find(id).orElseThrow().status())
                .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
    }

    @Test
    void outage_notificationsLostForTheWholeRetryWindow_reconcileMakesBConsistent(LocalAws aws) throws Exception {
        try (FakeStatusApiServer a = new FakeStatusApiServer(TOKEN)) {
            Stack stack = stack(aws, "rec1-", a);
            List<String> ids = seed(stack, a, "o-out-", 20, 12);
            Map<String, Long> before = counts(stack, ids);
            ReconcileHandler reconcile = new ReconcileHandler(stack.env());

            Map<String, Object> first = reconcile.handleRequest(new ScheduledEvent(), null);
            Map<String, Long> after = counts(stack, ids);
            Map<String, Object> second = reconcile.handleRequest(new ScheduledEvent(), null);

            System.out.printf("outage (fake A over HTTP): A paid 12 of 20, every delivery FAILED; B before %s;"
                    + " reconcile run 1 %s; B after %s; run 2 %s%n", before, first, after, second);
            assertThat(before).containsExactly(Map.entry("PENDING", 20L));
            assertThat(first).containsEntry("checked", 20).containsEntry("applied", 12)
                    .containsEntry("notFound", 8).containsEntry("errors", 0).containsEntry("stop", "END_OF_ROUND");
            assertThat(after).containsExactly(Map.entry("PAID", 12L), Map.entry("PENDING", 8L));
            assertThat(second).containsEntry("checked", 8).containsEntry("applied", 0).containsEntry("notFound", 8);
            for (int i = 0; i < 12; i++) {
                assertThat(stack.orders().find(ids.get(i))).get().extracting(OrderState::version).isEqualTo(2L);
            }
        }
    }

    @Test
    void lateWebhookAfterReconcile_sameEventIdAndBody_isReplayed_anotherIdHitsTheVersionGuard(LocalAws aws)
            throws Exception {
        try (FakeStatusApiServer a = new FakeStatusApiServer(TOKEN)) {
            Stack stack = stack(aws, "rec2-", a);
            List<String> ids = seed(stack, a, "o-late-", 1, 1);
            new ReconcileHandler(stack.env()).handleRequest(new ScheduledEvent(), null);
            Map<String, AttributeValue> reconciled = order(aws, stack, ids.getFirst());
            WebhookSecret secret = WebhookSecret.generate();
            Map<String, String> receiverEnv = new HashMap<>(stack.env());
            receiverEnv.put(EnvVars.RECEIVER_SECRETS, secret.encoded());
            String sameBody = a.payloadJson(ids.getFirst());
            String otherBody = "{\"type\":\"order.paid\",\"id\":\"evt_other\",\"timestamp\":\"" + Instant.now()
                    + "\",\"data\":{\"orderId\":\"" + ids.getFirst() + "\",\"status\":\"PAID\",\"version\":2}}";

            HttpResponse<String> late;
            HttpResponse<String> other;
            try (HttpApiFront front = new HttpApiFront("POST", "/webhooks/orders", new ReceiverHandler(receiverEnv))) {
                late = post(front, secret, "evt_" + ids.getFirst(), sameBody);
                other = post(front, secret, "evt_other", otherBody);
            }

            assertThat(late.statusCode()).isEqualTo(200);
            assertThat(late.headers().firstValue("idempotent-replayed")).contains("true");
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.body()).contains("\"result\":\"stale\"");
            assertThat(order(aws, stack, ids.getFirst())).isEqualTo(reconciled);
        }
    }

    @Test
    void statusApiDown_runStops_nextRunAfterRecoveryFixes(LocalAws aws) throws Exception {
        try (FakeStatusApiServer a = new FakeStatusApiServer(TOKEN)) {
            Stack stack = stack(aws, "rec3-", a);
            List<String> ids = seed(stack, a, "o-down-", 6, 6);
            ReconcileHandler reconcile = new ReconcileHandler(stack.env());
            a.stop();

            Map<String, Object> whileDown = reconcile.handleRequest(new ScheduledEvent(), null);
            Map<String, Long> afterDownRun = counts(stack, ids);
            a.start();
            Map<String, Object> recovered = reconcile.handleRequest(new ScheduledEvent(), null);

            System.out.printf("A down: run %s, B %s; A back: run %s, B %s%n", whileDown, afterDownRun, recovered,
                    counts(stack, ids));
            assertThat(whileDown).containsEntry("stop", "STATUS_API_DOWN").containsEntry("applied", 0);
            assertThat((Integer) whileDown.get("errors")).isGreaterThanOrEqualTo(3);
            assertThat(afterDownRun).containsExactly(Map.entry("PENDING", 6L));
            assertThat(recovered).containsEntry("applied", 6).containsEntry("errors", 0);
            assertThat(counts(stack, ids)).containsExactly(Map.entry("PAID", 6L));
        }
    }

    @Test
    void wrongToken_isAnErrorPerOrder_andAnOrderWithoutEventsAtA_staysPending(LocalAws aws) throws Exception {
        try (FakeStatusApiServer a = new FakeStatusApiServer(TOKEN)) {
            Stack stack = stack(aws, "rec4-", a);
            List<String> ids = seed(stack, a, "o-err-", 2, 2);
            a.orders.remove(ids.get(1));
            Map<String, String> badToken = new HashMap<>(stack.env());
            badToken.put(EnvVars.STATUS_API_TOKEN, "wrong");

            Map<String, Object> unauthorized = new ReconcileHandler(badToken).handleRequest(new ScheduledEvent(), null);
            Map<String, Object> authorized = new ReconcileHandler(stack.env()).handleRequest(new ScheduledEvent(), null);

            assertThat(unauthorized).containsEntry("checked", 2).containsEntry("errors", 2).containsEntry("applied", 0)
                    .containsEntry("stop", "END_OF_ROUND");
            assertThat(authorized).containsEntry("applied", 1).containsEntry("errors", 0).containsEntry("notFound", 1);
            assertThat(stack.orders().find(ids.get(1))).get().extracting(OrderState::status).isEqualTo("PENDING");
        }
    }

    @Test
    void paginated_cursorOnTheIdempotencyTable_andEmitsEmfMetrics(LocalAws aws) throws Exception {
        try (FakeStatusApiServer a = new FakeStatusApiServer(TOKEN)) {
            Stack stack = stack(aws, "rec5-", a);
            List<String> ids = seed(stack, a, "o-page-", 12, 12);
            Map<String, String> env = new HashMap<>(stack.env());
            env.put(ReconcileHandler.PAGE_SIZE, "2");
            env.put(ReconcileHandler.PARALLELISM, "2");

            String out = stdout(() -> new ReconcileHandler(env).handleRequest(new ScheduledEvent(), null));

            assertThat(counts(stack, ids)).containsExactly(Map.entry("PAID", 12L));
            List<JsonNode> emf = out.lines().filter(line -> line.startsWith("{")).map(line -> {
                try {
                    return JsonLines.MAPPER.readTree(line);
                } catch (Exception e) {
                    throw new AssertionError("not JSON: " + line, e);
                }
            }).filter(node -> node.has("_aws")).toList();
            assertThat(emf).hasSize(1);
            JsonNode first = emf.getFirst();
            assertThat(first.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("Ben");
            assertThat(first.at("/_aws/CloudWatchMetrics/0/Metrics").findValuesAsText("Name"))
                    .containsExactlyInAnyOrder("checked", "applied", "replayed", "errors", "pastHorizon");
            assertThat(first.get("applied").asInt()).isEqualTo(12);
            assertThat(first.get("service").asText()).isEqualTo("reconcile");
            assertThat(first.get("scope").asText()).isEqualTo(OrdersExample.SCOPE);
            assertThat(out).contains("\"pages\":");
        }
    }

    private static Map<String, AttributeValue> order(LocalAws aws, Stack stack, String orderId) {
        return aws.dynamoDb().getItem(g -> g.consistentRead(true)
                .tableName(stack.resources().tableName(OrdersExample.RECEIVER_ORDERS_TABLE))
                .key(Map.of("orderId", AttributeValue.fromS(orderId)))).item();
    }

    private static HttpResponse<String> post(HttpApiFront front, WebhookSecret secret, String id, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(front.baseUri().resolve("/webhooks/orders"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        WebhookSigner.of(secret).sign(id, body).asMap().forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What {@code action} prints to stdout (the generic handler's log and EMF lines). */
    private static String stdout(Supplier<?> action) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            action.get();
        } finally {
            System.setOut(original);
        }
        return captured.toString();
    }
}
