package dev.ben.examples.orders.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.webhooks.SignedHeaders;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.examples.orders.OrdersExample;
import dev.ben.examples.orders.internal.JsonLines;
import dev.ben.examples.orders.store.ApplyOutcome;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.OrderStore;
import dev.ben.examples.orders.store.internal.DynamoDbOrderStore;
import dev.ben.examples.orders.testing.HttpApiFront;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.receiver.kit.WebhookReceiver;
import dev.ben.settings.EnvVars;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The receiver function on the local stack, behind a real HTTP server speaking HTTP API payload 2.0. */
@ExtendWith(LocalAwsExtension.class)
class ReceiverHandlerIT {

    private final WebhookSecret current = WebhookSecret.generate();
    private final WebhookSecret previous = WebhookSecret.generate();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LocalAws aws;
    private ProvisionedResources resources;
    private DynamoDbOrderStore orders;

    @BeforeEach
    void provision(LocalAws aws) {
        this.aws = aws;
        resources = aws.provision(OrdersExample.settings(), "rcvh-");
        orders = new DynamoDbOrderStore(aws.dynamoDb(), resources.tableName(OrdersExample.RECEIVER_ORDERS_TABLE),
                Clock.systemUTC());
    }

    private static String orderPaid(String eventId, String orderId, long version) {
        return "{\"type\":\"order.paid\",\"id\":\"" + eventId + "\",\"timestamp\":\"" + Instant.now()
                + "\",\"data\":{\"orderId\":\"" + orderId + "\",\"status\":\"PAID\",\"version\":" + version
                + ",\"amount\":42.5,\"currency\":\"EUR\"}}";
    }

    private HttpRequest post(URI base, SignedHeaders signed, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/webhooks/orders"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        signed.asMap().forEach(request::header);
        return request.build();
    }

    @Test
    void duplicateStorm_50ConcurrentDeliveriesOfOneOrderPaid_appliedExactlyOnce() throws Exception {
        String orderId = "o-storm-" + UUID.randomUUID();
        String eventId = "evt_" + UUID.randomUUID();
        orders.apply(new OrderState(orderId, "PENDING", 1, Instant.now().minusSeconds(60).toString()));
        AtomicInteger applies = new AtomicInteger();
        OrderStore counting = new OrderStore() {
            @Override
            public ApplyOutcome apply(OrderState state) {
                applies.incrementAndGet();
                sleep(Duration.ofMillis(200)); // widen the window in which duplicates arrive
                return orders.apply(state);
            }

            @Override
            public PendingScan pendingBefore(Instant cutoff, int max, int pageSize,
                    java.util.Optional<OrderState> after) {
                return orders.pendingBefore(cutoff, max, pageSize, after);
            }
        };
        WebhookReceiver receiver = WebhookReceiver.builder().secrets(current.encoded()).scope(OrdersExample.SCOPE)
                .idempotencyTable(aws.dynamoDb(), resources.tableName(OrdersExample.RECEIVER_IDEMPOTENCY_TABLE)).build();
        ReceiverHandler handler = new ReceiverHandler(receiver, new OrderPaidWebhook(counting),
                new JsonLines(new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC(), "receiver"), () -> { });
        String body = orderPaid(eventId, orderId, 2);
        try (HttpApiFront front = new HttpApiFront("POST", "/webhooks/orders", handler)) {
            SignedHeaders signed = WebhookSigner.of(current).sign(eventId, body);

            List<HttpResponse<String>> storm = concurrently(50, () -> post(front.baseUri(), signed, body));
            int appliesAfterStorm = applies.get();
            List<HttpResponse<String>> later = concurrently(50,
                    () -> post(front.baseUri(), WebhookSigner.of(current).sign(eventId, body), body));

            System.out.printf("receiver storm: 50 concurrent -> %s; then 50 after completion -> %s;"
                    + " apply calls=%d; order now %s%n", outcomes(storm), outcomes(later), applies.get(),
                    orders.find(orderId).orElseThrow());
            assertThat(appliesAfterStorm).isEqualTo(1);
            assertThat(applies).hasValue(1);
            assertThat(storm.stream().filter(r -> r.statusCode() == 200
                    && r.headers().firstValue("idempotent-replayed").isEmpty())).hasSize(1);
            assertThat(storm).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 409);
            assertThat(later).allMatch(r -> r.statusCode() == 200 && r.body().contains("\"result\":\"applied\""));
            assertThat(orders.find(orderId)).get().extracting(OrderState::status, OrderState::version)
                    .containsExactly("PAID", 2L);
        }
    }

    @Test
    void realConstructor_fromEnvironment_appliesVerifiesAndIgnoresOlderVersions() throws Exception {
        Map<String, String> env = new HashMap<>(resources.environment());
        env.put(EnvVars.RECEIVER_SECRETS, current.encoded() + " " + previous.encoded());
        ReceiverHandler handler = new ReceiverHandler(env);
        String orderId = "o-env-" + UUID.randomUUID();
        orders.apply(new OrderState(orderId, "PENDING", 1, Instant.now().toString()));
        try (HttpApiFront front = new HttpApiFront("POST", "/webhooks/orders", handler)) {
            String paidV3 = orderPaid("evt_a_" + orderId, orderId, 3);
            String paidV2 = orderPaid("evt_b_" + orderId, orderId, 2);

            HttpResponse<String> signedWithPrevious = send(post(front.baseUri(),
                    WebhookSigner.of(previous).sign("evt_a_" + orderId, paidV3), paidV3));
            HttpResponse<String> olderVersion = send(post(front.baseUri(),
                    WebhookSigner.of(current).sign("evt_b_" + orderId, paidV2), paidV2));
            HttpResponse<String> tampered = send(post(front.baseUri(),
                    WebhookSigner.of(current).sign("evt_c_" + orderId, paidV2), paidV3));
            HttpResponse<String> unsigned = send(HttpRequest.newBuilder(front.baseUri().resolve("/webhooks/orders"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(paidV3)).build());

            assertThat(signedWithPrevious.statusCode()).isEqualTo(200);
            assertThat(signedWithPrevious.body()).contains("\"result\":\"applied\"");
            assertThat(olderVersion.statusCode()).isEqualTo(200);
            assertThat(olderVersion.body()).contains("\"result\":\"stale\"");
            assertThat(tampered.statusCode()).isEqualTo(401);
            assertThat(tampered.body()).contains("no_matching_signature");
            assertThat(unsigned.statusCode()).isEqualTo(400);
            assertThat(unsigned.body()).contains("missing_header");
            assertThat(orders.find(orderId)).get().extracting(OrderState::status, OrderState::version)
                    .containsExactly("PAID", 3L);
        }
    }

    private List<HttpResponse<String>> concurrently(int n, java.util.function.Supplier<HttpRequest> request)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                HttpRequest r = request.get();
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return send(r);
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

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
