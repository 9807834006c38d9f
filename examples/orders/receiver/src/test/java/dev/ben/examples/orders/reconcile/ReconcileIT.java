package dev.ben.examples.orders.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.examples.orders.OrdersExample;
import dev.ben.examples.orders.internal.JsonLines;
import dev.ben.examples.orders.reconcile.internal.DynamoDbScanCursor;
import dev.ben.examples.orders.reconcile.internal.HttpStatusApi;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.internal.DynamoDbOrderStore;
import dev.ben.examples.orders.testing.FakeStatusApiServer;
import dev.ben.examples.orders.testing.HttpApiFront;
import dev.ben.examples.orders.webhook.ReceiverHandler;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.receiver.kit.IdempotentExecutor;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reconciliation on the local stack against system A's status API served over real HTTP with real JSON. A here is
 * {@link FakeStatusApiServer} (test code following the status API contract), not the sender's StatusApiHandler.
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
        env.put(EnvVars.STATUS_API_URL, a.baseUri().toString());
        env.put(EnvVars.STATUS_API_TOKEN, TOKEN);
        env.put(ReconcileHandler.PENDING_AFTER, "PT10M");
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
                .collect(Collectors.groupingBy(s -> s, java.util.TreeMap::new, Collectors.counting()));
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
            assertThat(first).containsEntry("checked", 20).containsEntry("fixed", 12)
                    .containsEntry("stillPending", 8).containsEntry("errors", 0);
            assertThat(after).containsExactly(Map.entry("PAID", 12L), Map.entry("PENDING", 8L));
            assertThat(second).containsEntry("checked", 8).containsEntry("fixed", 0).containsEntry("stillPending", 8);
            for (int i = 0; i < 12; i++) {
                assertThat(stack.orders().find(ids.get(i))).get().extracting(OrderState::version).isEqualTo(2L);
            }
        }
    }

    @Test
    void lateWebhookAfterReconcile_goesThroughTheSameVersionGuard_andChangesNothing(LocalAws aws) throws Exception {
        try (FakeStatusApiServer a = new FakeStatusApiServer(TOKEN)) {
            Stack stack = stack(aws, "rec2-", a);
            List<String> ids = seed(stack, a, "o-late-", 1, 1);
            new ReconcileHandler(stack.env()).handleRequest(new ScheduledEvent(), null);
            Map<String, AttributeValue> reconciled = aws.dynamoDb().getItem(g -> g.consistentRead(true)
                    .tableName(stack.resources().tableName(OrdersExample.RECEIVER_ORDERS_TABLE))
                    .key(Map.of("orderId", AttributeValue.fromS(ids.getFirst())))).item();
            WebhookSecret secret = WebhookSecret.generate();
            Map<String, String> receiverEnv = new HashMap<>(stack.env());
            receiverEnv.put(EnvVars.RECEIVER_SECRETS, secret.encoded());
            String body = "{\"type\":\"order.paid\",\"id\":\"evt_late\",\"timestamp\":\"" + Instant.now()
                    + "\",\"data\":{\"orderId\":\"" + ids.getFirst() + "\",\"status\":\"PAID\",\"version\":2}}";

            HttpResponse<String> late;
            try (HttpApiFront front = new HttpApiFront("POST", "/webhooks/orders", new ReceiverHandler(receiverEnv))) {
                HttpRequest.Builder request = HttpRequest.newBuilder(front.baseUri().resolve("/webhooks/orders"))
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
                WebhookSigner.of(secret).sign("evt_late", body).asMap().forEach(request::header);
                late = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            }

            assertThat(late.statusCode()).isEqualTo(200);
            assertThat(late.body()).contains("\"result\":\"stale\"");
            Map<String, AttributeValue> now = aws.dynamoDb().getItem(g -> g.consistentRead(true)
                    .tableName(stack.resources().tableName(OrdersExample.RECEIVER_ORDERS_TABLE))
                    .key(Map.of("orderId", AttributeValue.fromS(ids.getFirst())))).item();
            assertThat(now).isEqualTo(reconciled);
        }
    }

    @Test
    void statusApiDown_runCountsErrorsAndStops_nextRunAfterRecoveryFixes(LocalAws aws) throws Exception {
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
            assertThat(whileDown).containsEntry("errors", Reconciler.MAX_CONSECUTIVE_UNREACHABLE)
                    .containsEntry("fixed", 0).containsEntry("abortedEarly", true);
            assertThat(afterDownRun).containsExactly(Map.entry("PENDING", 6L));
            assertThat(recovered).containsEntry("fixed", 6).containsEntry("errors", 0);
            assertThat(counts(stack, ids)).containsExactly(Map.entry("PAID", 6L));
        }
    }

    @Test
    void wrongToken_isAnError_andAnOrderWithoutEventsAtA_staysPending(LocalAws aws) throws Exception {
        try (FakeStatusApiServer a = new FakeStatusApiServer(TOKEN)) {
            Stack stack = stack(aws, "rec4-", a);
            List<String> ids = seed(stack, a, "o-err-", 2, 2);
            a.orders.remove(ids.get(1));
            Map<String, String> badToken = new HashMap<>(stack.env());
            badToken.put(EnvVars.STATUS_API_TOKEN, "wrong");

            Map<String, Object> unauthorized = new ReconcileHandler(badToken).handleRequest(new ScheduledEvent(), null);
            Map<String, Object> authorized = new ReconcileHandler(stack.env()).handleRequest(new ScheduledEvent(), null);

            assertThat(unauthorized).containsEntry("checked", 2).containsEntry("errors", 2).containsEntry("fixed", 0)
                    .containsEntry("abortedEarly", false);
            assertThat(authorized).containsEntry("fixed", 1).containsEntry("errors", 0).containsEntry("stillPending", 1);
            assertThat(stack.orders().find(ids.get(1))).get().extracting(OrderState::status).isEqualTo("PENDING");
        }
    }

    @Test
    void ordersPendingAtATooBeyondTheBound_successiveRunsGoRoundAllOfThem(LocalAws aws) throws Exception {
        try (FakeStatusApiServer a = new FakeStatusApiServer(TOKEN)) {
            Stack stack = stack(aws, "rec6-", a);
            List<String> ids = IntStream.range(0, 6).mapToObj(i -> "o-fair-" + i).toList();
            for (int i = 0; i < ids.size(); i++) {
                String at = Instant.now().minus(Duration.ofHours(2)).plusSeconds(i).toString();
                stack.orders().apply(new OrderState(ids.get(i), "PENDING", 1, at));
                a.put(ids.get(i), "PENDING", 1, at);
            }
            Map<String, String> env = new HashMap<>(stack.env());
            env.put(ReconcileHandler.MAX_PER_RUN, "4");
            ReconcileHandler reconcile = new ReconcileHandler(env);

            Map<String, Object> run1 = reconcile.handleRequest(new ScheduledEvent(), null);
            List<String> first = List.copyOf(a.asked);
            a.asked.clear();
            Map<String, Object> run2 = reconcile.handleRequest(new ScheduledEvent(), null);
            List<String> second = List.copyOf(a.asked);

            System.out.printf("fairness: run 1 asked %s %s; run 2 asked %s %s%n", first, run1, second, run2);
            assertThat(first).containsExactly(ids.get(0), ids.get(1), ids.get(2), ids.get(3));
            assertThat(second).containsExactly(ids.get(4), ids.get(5), ids.get(0), ids.get(1));
            assertThat(run2).containsEntry("stillPending", 4);
        }
    }

    @Test
    void boundedPerRun_paginated_andEmitsEmfMetrics(LocalAws aws) throws Exception {
        try (FakeStatusApiServer a = new FakeStatusApiServer(TOKEN)) {
            Stack stack = stack(aws, "rec5-", a);
            List<String> ids = seed(stack, a, "o-page-", 12, 12);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonLines log = new JsonLines(new PrintStream(out, true), Clock.systemUTC(), "reconcile");
            Reconciler reconciler = new Reconciler(stack.orders(), HttpStatusApi.create(a.baseUri(), TOKEN),
                    IdempotentExecutor.builder().dynamoDb(aws.dynamoDb(),
                            stack.resources().tableName(OrdersExample.RECEIVER_IDEMPOTENCY_TABLE)).build(),
                    new DynamoDbScanCursor(aws.dynamoDb(),
                            stack.resources().tableName(OrdersExample.RECEIVER_IDEMPOTENCY_TABLE)),
                    new Reconciler.Settings(Duration.ofMinutes(10), 5, 2), Clock.systemUTC(), log);
            ReconcileHandler reconcile = new ReconcileHandler(reconciler, log, () -> { });

            Map<String, Object> run1 = reconcile.handleRequest(new ScheduledEvent(), null);
            Map<String, Object> run2 = reconcile.handleRequest(new ScheduledEvent(), null);
            Map<String, Object> run3 = reconcile.handleRequest(new ScheduledEvent(), null);

            assertThat(run1).containsEntry("checked", 5).containsEntry("fixed", 5).containsEntry("pages", 3)
                    .containsEntry("truncated", true);
            assertThat(run2).containsEntry("fixed", 5).containsEntry("truncated", true);
            assertThat(run3).containsEntry("checked", 2).containsEntry("fixed", 2);
            assertThat(counts(stack, ids)).containsExactly(Map.entry("PAID", 12L));
            List<JsonNode> emf = out.toString().lines().map(line -> {
                try {
                    return JsonLines.MAPPER.readTree(line);
                } catch (Exception e) {
                    throw new AssertionError("not JSON: " + line, e);
                }
            }).filter(node -> node.has("_aws")).toList();
            assertThat(emf).hasSize(3);
            JsonNode first = emf.getFirst();
            assertThat(first.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("Ben");
            assertThat(first.at("/_aws/CloudWatchMetrics/0/Metrics").findValuesAsText("Name"))
                    .containsExactlyInAnyOrder("checked", "fixed", "stillPending", "errors");
            assertThat(first.get("fixed").asInt()).isEqualTo(5);
            assertThat(first.get("service").asText()).isEqualTo("reconcile");
        }
    }
}
