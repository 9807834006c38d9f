package dev.ben.sender.it;

import static dev.ben.sender.testing.SenderStack.await;
import static dev.ben.sender.testing.SenderStack.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ben.core.model.Endpoint;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.notify.NotifyHandler;
import dev.ben.sender.retry.RetryHandler;
import dev.ben.sender.sweeper.SweeperHandler;
import dev.ben.sender.testing.FaultInjector;
import dev.ben.sender.testing.SenderStack;
import dev.ben.sender.testing.TestReceiver;
import dev.ben.sender.testing.TestReceiver.Reply;
import dev.ben.settings.BenSettings;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * ≥ 2,000 notifications through the real functions on the local stack while receivers misbehave (5xx, timeouts,
 * connection resets, 429 + Retry-After, 410, a receiver that hangs until the timeout), endpoints are broken (a
 * secret that is not base64, an endpoint disabled) and faults are injected (DynamoDB throttling on every kind of call
 * — including the status write after a successful POST —, SQS send failures, whole invocations crashing after
 * their work). Every delivery must end DELIVERED, FAILED or CANCELLED with a reason; none may be missing.
 *
 * <p>CI runs {@value #CI_ORDERS} orders (× 6 endpoints = 2,400 notifications); the benchmark size is
 * {@code -Dben.chaos.orders=1700} (10,200 notifications; docs/sender.md). Circuit breakers stay off here (as in
 * every test stack): each delivery's verdict is asserted exactly, which a 1 s opening would blur;
 * {@code EndpointIsolationIT} and the isolation benchmark cover them.
 */
@ExtendWith(LocalAwsExtension.class)
class ChaosIT {

    static final int CI_ORDERS = 400;
    private static final int ORDERS = Integer.getInteger("ben.chaos.orders", CI_ORDERS);
    private static final int ENDPOINTS = 6;
    private static final long SEED = 20261129L;

    private final LocalAws aws;

    ChaosIT(LocalAws aws) {
        this.aws = aws;
    }

    @Test
    void chaos_everyNotificationEndsDeliveredOrFailedWithAReason() throws Exception {
        Random random = new Random(SEED);
        TestReceiver flaky = TestReceiver.start((id, before) -> {
            int r;
            synchronized (random) {
                r = random.nextInt(100);
            }
            if (r < 55) {
                return Reply.ok();
            } else if (r < 70) {
                return Reply.status(r % 2 == 0 ? 500 : 503);
            } else if (r < 78) {
                return new Reply.Status(200, Map.of(), "too late", 1_500); // beyond the 1 s timeout
            } else if (r < 86) {
                return new Reply.Reset();
            } else {
                return new Reply.Status(429, Map.of("Retry-After", "1"), "slow down", 0);
            }
        });
        // one event in five is refused for good (the receiver "is down" for it): its retries are exhausted
        TestReceiver down = TestReceiver.start((id, before) -> Math.floorMod(id.hashCode(), 5) == 0
                ? Reply.status(503) : Reply.ok());
        // answers 2xx until late in the run, then 410 once: the endpoint is disabled with deliveries in flight
        AtomicLong goneAnswers = new AtomicLong();
        AtomicLong goneRequests = new AtomicLong();
        TestReceiver gone = TestReceiver.start((id, before) -> {
            if (goneRequests.incrementAndGet() == ORDERS - 10) {
                goneAnswers.incrementAndGet();
                return Reply.status(410);
            }
            return Reply.ok();
        });
        FaultInjector faults = new FaultInjector(Map.of(
                "DynamoDB.PutItem", 0.01, "DynamoDB.UpdateItem", 0.03, "DynamoDB.GetItem", 0.01,
                "DynamoDB.Query", 0.02, "Sqs.SendMessage", 0.05), SEED);
        AtomicLong crashes = new AtomicLong();
        Map<String, String> env = new HashMap<>(SenderStack.testEnvironment());
        env.put("BEN_RETRY_SCHEDULE", "1s,1s,1s");
        env.put("BEN_RETRY_MAX_AGE", "10m");
        env.put("BEN_HTTP_TIMEOUT", "1s");
        env.put("BEN_SWEEPER_GRACE", "4s");
        env.put("BEN_LOG_LEVEL", "OFF");

        TestReceiver hanging = TestReceiver.start((id, before) -> new Reply.Status(200, Map.of(), "late", 30_000));
        try (SenderStack stack = SenderStack.start(aws, env, (b, fnEnv) -> b
                .handler("notify", crashing(new NotifyHandler(fnEnv, List.of(faults)), crashes, SEED))
                .handler("retry", new RetryHandler(fnEnv, List.of(faults)))
                .handler("sweeper", new SweeperHandler(fnEnv, List.of(faults))), "notify", "retry", "sweeper")) {
            brokenEndpoints(stack, hanging);
            run(stack, flaky, down, gone, faults, crashes, goneAnswers);
        } finally {
            flaky.close();
            down.close();
            gone.close();
            hanging.close();
        }
    }

    /** A receiver that never answers in time, a secret that is not base64, a disabled endpoint. */
    private void brokenEndpoints(SenderStack stack, TestReceiver hanging) {
        stack.putEndpoint("ep-hanging", hanging.url("/hook").toString(), List.of(WebhookSecret.generate().encoded()),
                null);
        // written around the store's validation, as a hand-edited item would be
        aws.dynamoDb().putItem(b -> b.tableName(stack.table(BenSettings.ENDPOINTS_TABLE)).item(Map.of(
                "endpointId", AttributeValue.fromS("ep-bad-secret"),
                "url", AttributeValue.fromS(hanging.url("/never").toString()),
                "eventTypes", AttributeValue.fromSs(List.of("order.paid")),
                "secrets", AttributeValue.fromL(List.of(AttributeValue.fromS("whsec_not-base64!"))))));
        stack.putEndpoint(Endpoint.of("ep-disabled", hanging.url("/off").toString(), Set.of("order.paid"),
                List.of(WebhookSecret.generate().encoded())).disabled("operator: paused"));
    }

    private void run(SenderStack stack, TestReceiver flaky, TestReceiver down, TestReceiver gone,
                     FaultInjector faults, AtomicLong crashes, AtomicLong goneAnswers) throws Exception {
        stack.putEndpoint("ep-flaky", flaky.url("/hook").toString(), List.of(WebhookSecret.generate().encoded()), null);
        stack.putEndpoint("ep-down", down.url("/hook").toString(), List.of(WebhookSecret.generate().encoded()), null);
        stack.putEndpoint("ep-gone", gone.url("/hook").toString(), List.of(WebhookSecret.generate().encoded()), null);

        long started = System.nanoTime();
        try (ExecutorService writers = Executors.newFixedThreadPool(8)) {
            IntStream.range(0, ORDERS).forEach(i -> writers.submit(() -> stack.payOrder("ord-" + i)));
        }

        boolean settled = await(Duration.ofSeconds(300L * Math.max(1, ORDERS / CI_ORDERS)), () -> {
            var all = stack.deliveries();
            long live = all.stream().filter(d -> List.of("PENDING", "RETRYING").contains(s(d, "status"))).count();
            return live == 0 && all.size() >= (long) ENDPOINTS * ORDERS;
        });
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        var all = stack.deliveries();
        Map<String, Long> byStatus = all.stream().collect(Collectors.groupingBy(d -> s(d, "status"), TreeMap::new,
                Collectors.counting()));
        Map<String, Long> byEndpoint = all.stream().collect(Collectors.groupingBy(d -> s(d, "endpointId"),
                TreeMap::new, Collectors.counting()));
        Map<String, Long> failureReasons = all.stream().filter(d -> "FAILED".equals(s(d, "status")))
                .collect(Collectors.groupingBy(d -> category(s(d, "lastError")), TreeMap::new, Collectors.counting()));
        Map<String, Long> posts = new LinkedHashMap<>();
        posts.put("ep-flaky", (long) flaky.received().size());
        posts.put("ep-down", (long) down.received().size());
        posts.put("ep-gone", (long) gone.received().size());
        System.out.printf("chaos: %d orders → %d deliveries in %d s (settled=%s)%n", ORDERS, all.size(), seconds,
                settled);
        System.out.println("chaos: by status " + byStatus);
        System.out.println("chaos: by endpoint " + byEndpoint);
        System.out.println("chaos: FAILED reasons " + failureReasons);
        System.out.println("chaos: load average " + String.format("%.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        System.out.println("chaos: POSTs received " + posts + ", 410 answers " + goneAnswers.get());
        System.out.println("chaos: injected faults " + faults.injected() + ", crashed notify invocations "
                + crashes.get());
        System.out.println("chaos: notify on-failure queue depth " + stack.queueDepth(BenSettings.NOTIFY_FAILURES_QUEUE)
                + ", retry DLQ depth " + stack.queueDepth(BenSettings.RETRY_DLQ));

        assertThat(settled).as("all deliveries terminal within the time limit").isTrue();
        assertThat(all.size()).as("notifications").isGreaterThanOrEqualTo(2000).isEqualTo(ENDPOINTS * ORDERS);
        for (String endpoint : List.of("ep-flaky", "ep-down", "ep-gone", "ep-hanging", "ep-bad-secret",
                "ep-disabled")) {
            assertThat(byEndpoint.get(endpoint)).as("one delivery per order to " + endpoint).isEqualTo(ORDERS);
        }
        // ep-gone is disabled by its 410 late in the run: orders paid after that are CANCELLED with the reason
        long eventsSentToGone = gone.received().stream().map(TestReceiver.Received::webhookId).distinct().count();
        assertThat(eventsSentToGone).isPositive();
        assertThat(goneAnswers.get()).isEqualTo(1);
        assertThat(byStatus.keySet()).containsOnly("DELIVERED", "FAILED", "CANCELLED");
        assertThat(all).filteredOn(d -> !"DELIVERED".equals(s(d, "status")))
                .allSatisfy(d -> assertThat(s(d, "lastError")).isNotBlank());
        assertThat(all).filteredOn(d -> "CANCELLED".equals(s(d, "status")))
                .allSatisfy(d -> assertThat(s(d, "lastError")).contains("is disabled"));
        assertThat(all).filteredOn(d -> "ep-disabled".equals(s(d, "endpointId")))
                .allSatisfy(d -> assertThat(s(d, "status")).isEqualTo("CANCELLED"));
        assertThat(all).filteredOn(d -> "ep-hanging".equals(s(d, "endpointId")))
                .allSatisfy(d -> assertThat(s(d, "status")).isEqualTo("FAILED"))
                .allSatisfy(d -> assertThat(s(d, "lastError")).containsAnyOf("TIMEOUT", "time budget"));
        assertThat(all).filteredOn(d -> "ep-bad-secret".equals(s(d, "endpointId")))
                .allSatisfy(d -> assertThat(s(d, "status")).isEqualTo("FAILED"))
                .allSatisfy(d -> assertThat(s(d, "lastError")).contains("malformed signing secret"));
        assertThat(all).filteredOn(d -> "ep-down".equals(s(d, "endpointId")))
                .allSatisfy(d -> assertThat(s(d, "status")).isEqualTo(
                        Math.floorMod(s(d, "eventId").hashCode(), 5) == 0 ? "FAILED" : "DELIVERED"));
        // every DELIVERED delivery was really answered 2xx by its receiver for that event id
        Map<String, TestReceiver> receivers = Map.of("ep-flaky", flaky, "ep-gone", gone, "ep-down", down);
        assertThat(all).filteredOn(d -> "DELIVERED".equals(s(d, "status"))).allSatisfy(d ->
                assertThat(receivers.get(s(d, "endpointId")).received(s(d, "eventId")))
                        .anyMatch(r -> r.reply() instanceof Reply.Status st && st.code() == 200
                                && st.delayMillis() == 0));
        assertThat(faults.injected()).as("faults were injected").isNotEmpty();
    }

    private static String category(String error) {
        if (error == null) {
            return "none";
        }
        if (error.startsWith("retries exhausted")) {
            return "retries exhausted";
        }
        if (error.contains("410")) {
            return "410 Gone";
        }
        if (error.contains("disabled")) {
            return "endpoint disabled";
        }
        if (error.contains("malformed signing secret")) {
            return "malformed secret";
        }
        return error.length() > 40 ? error.substring(0, 40) : error;
    }

    /** Wraps a stream handler so that some invocations "crash" after doing their work (the runtime retries them). */
    private static RequestHandler<DynamodbEvent, StreamsEventResponse> crashing(
            RequestHandler<DynamodbEvent, StreamsEventResponse> handler, AtomicLong crashes, long seed) {
        Random random = new Random(seed + 1);
        return (event, context) -> {
            StreamsEventResponse response = handler.handleRequest(event, context);
            boolean crash;
            synchronized (random) {
                crash = random.nextInt(100) < 5;
            }
            if (crash) {
                crashes.incrementAndGet();
                throw new IllegalStateException("injected crash after the batch's work, before responding");
            }
            return response;
        };
    }
}
