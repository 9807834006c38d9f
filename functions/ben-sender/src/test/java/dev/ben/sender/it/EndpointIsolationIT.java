package dev.ben.sender.it;

import static dev.ben.sender.testing.SenderStack.await;
import static dev.ben.sender.testing.SenderStack.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.DeliveryStore;
import dev.ben.sender.internal.RetryQueue;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.sender.internal.aws.DynamoDbDeliveryStore;
import dev.ben.sender.internal.aws.SqsRetryQueue;
import dev.ben.sender.notify.NotifyHandler;
import dev.ben.sender.testing.ReportedRecords;
import dev.ben.sender.testing.SenderStack;
import dev.ben.sender.testing.TestReceiver;
import dev.ben.sender.testing.TestReceiver.Reply;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A receiver's behaviour costs only that receiver, through the real functions on the local stack and real HTTP
 * receivers: the circuit breaker, the shared rate limit, the time budget, malformed secrets.
 */
@ExtendWith(LocalAwsExtension.class)
class EndpointIsolationIT {

    private final LocalAws aws;

    EndpointIsolationIT(LocalAws aws) {
        this.aws = aws;
    }

    private static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(SenderStack.testEnvironment());
        env.putAll(extra);
        return env;
    }

    private static String secret() {
        return WebhookSecret.generate().encoded();
    }

    private static List<Map<String, AttributeValue>> of(SenderStack stack, String endpointId) {
        return stack.deliveries().stream().filter(d -> endpointId.equals(s(d, "endpointId"))).toList();
    }

    private static boolean allTerminal(List<Map<String, AttributeValue>> deliveries, int expected) {
        return deliveries.size() == expected
                && deliveries.stream().noneMatch(d -> List.of("PENDING", "RETRYING").contains(s(d, "status")));
    }

    private static Map<String, AttributeValue> endpointItem(SenderStack stack, String endpointId) {
        return stack.aws.dynamoDb().getItem(b -> b.tableName(stack.table(BenSettings.ENDPOINTS_TABLE))
                .key(Map.of("endpointId", AttributeValue.fromS(endpointId))).consistentRead(true)).item();
    }

    private static String circuitOf(SenderStack stack, String endpointId) {
        String state = s(endpointItem(stack, endpointId), "circuitState");
        return state == null ? "CLOSED" : state;
    }

    private static boolean parked(Map<String, AttributeValue> delivery) {
        AttributeValue flag = delivery.get("parked");
        return flag != null && Boolean.TRUE.equals(flag.bool());
    }

    private static Instant circuitRetryAt(SenderStack stack, String endpointId) {
        String at = s(endpointItem(stack, endpointId), "circuitRetryAt");
        return at == null ? Instant.MAX : Instant.parse(at);
    }

    /**
     * Stands in for the sweeper's release of a parked delivery (the sweeper's own tests cover it): back in its
     * RETRYING shard with a new queue token, and one message.
     */
    private static void release(DeliveryStore store, RetryQueue queue, StoredDelivery parked) {
        Instant now = Instant.now();
        Delivery d = parked.delivery();
        String token = "t" + now.toEpochMilli();
        if (store.transition(parked, d.withStatus(DeliveryStatus.RETRYING, d.attempts(), now, d.lastStatusCode(),
                d.lastError(), now), token)) {
            queue.send(parked.id(), token, Duration.ZERO);
        }
    }

    @Test
    void circuit_opensOnAFailingReceiver_parksItsDeliveries_halfOpensForOneProbe_andClosesWhenItAnswersAgain() {
        try (TestReceiver receiver = TestReceiver.start((id, n) -> Reply.status(503))) {
            var env = env(Map.of("BEN_CIRCUIT_FAILURES", "5", "BEN_CIRCUIT_FAILURE_RATE", "0.5",
                    "BEN_CIRCUIT_OPEN_FOR", "2s", "BEN_CIRCUIT_MAX_OPEN", "2s", "BEN_RETRY_SCHEDULE",
                    "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s"));
            try (SenderStack stack = SenderStack.start(aws, env, b -> { }, "notify", "retry")) {
                DeliveryStore store = new DynamoDbDeliveryStore(aws.dynamoDb(),
                        stack.table(BenSettings.DELIVERIES_TABLE), Duration.ofDays(1));
                RetryQueue queue = new SqsRetryQueue(aws.sqs(), stack.queueUrl(BenSettings.RETRY_QUEUE),
                        stack.queueUrl(BenSettings.RETRY_DLQ));
                stack.putEndpoint("ep-flaky", receiver.url("/h").toString(), List.of(secret()), null);
                IntStream.range(0, 8).forEach(i -> stack.payOrder("ord-" + i));

                assertThat(await(Duration.ofSeconds(30), () -> circuitOf(stack, "ep-flaky").equals("OPEN")))
                        .as("opened by the failures").isTrue();
                int postsWhenOpened = receiver.received().size();
                assertThat(await(Duration.ofSeconds(60), () -> of(stack, "ep-flaky").stream()
                        .filter(EndpointIsolationIT::parked).count() == 8
                        && stack.queueDepth(BenSettings.RETRY_QUEUE) == 0))
                        .as("every delivery parked while the circuit is open, none left in the retry queue").isTrue();
                int postsWhileParked = receiver.received().size();
                assertThat(of(stack, "ep-flaky")).allSatisfy(d -> {
                    assertThat(s(d, "status")).isEqualTo("RETRYING");
                    assertThat(s(d, "dueShard")).isEqualTo("PARKED#ep-flaky");
                    assertThat(s(d, "lastError")).startsWith("parked: the circuit of endpoint ep-flaky is ");
                    assertThat(d).doesNotContainKey("queueToken");
                    var attempts = stack.attempts(s(d, "deliveryId"));
                    assertThat(Integer.parseInt(s(d, "attempts"))).as("parking counts no attempt")
                            .isEqualTo(attempts.size());
                    assertThat(attempts).allSatisfy(a -> assertThat(s(a, "statusCode")).isEqualTo("503"));
                });

                // the probe is slow, so the half-open state can be seen while it runs
                receiver.behaviour((id, n) -> new Reply.Status(200, Map.of(), "ok", 1_500));
                Set<String> seen = new LinkedHashSet<>();
                boolean closed = await(Duration.ofSeconds(60), () -> {
                    String circuit = circuitOf(stack, "ep-flaky");
                    seen.add(circuit);
                    boolean carrierOut = of(stack, "ep-flaky").stream()
                            .anyMatch(d -> "RETRYING".equals(s(d, "status")) && !parked(d));
                    if (circuit.equals("OPEN") && !carrierOut
                            && Instant.now().isAfter(circuitRetryAt(stack, "ep-flaky"))) {
                        store.parked("ep-flaky", 1, Map.of()).items().forEach(p -> release(store, queue, p));
                    }
                    return seen.contains("HALF_OPEN") && circuit.equals("CLOSED");
                });
                receiver.behaviour((id, n) -> Reply.ok());
                assertThat(closed).as("half-open, then closed; seen " + seen).isTrue();
                assertThat(receiver.received().size() - postsWhileParked).as("the probe alone while it was open")
                        .isEqualTo(1);
                store.parked("ep-flaky", 100, Map.of()).items().forEach(p -> release(store, queue, p));

                assertThat(await(Duration.ofSeconds(60), () -> allTerminal(of(stack, "ep-flaky"), 8))).isTrue();
                assertThat(of(stack, "ep-flaky")).allSatisfy(d -> assertThat(s(d, "status")).isEqualTo("DELIVERED"));
                assertThat(postsWhenOpened).as("POSTs before the circuit opened").isLessThan(8 * 20);
            }
        }
    }

    private static List<Map<String, AttributeValue>> ofEntities(SenderStack stack, String endpointId, String prefix) {
        return of(stack, endpointId).stream().filter(d -> String.valueOf(s(d, "entityId")).contains(prefix)).toList();
    }

    @Test
    void openCircuit_parksNewDeliveriesWithoutQueueMessages_andTheSweeperBringsThemBackOnceTheReceiverHeals() {
        try (TestReceiver receiver = TestReceiver.start((id, n) -> Reply.status(503))) {
            var env = env(Map.of("BEN_CIRCUIT_FAILURES", "3", "BEN_CIRCUIT_OPEN_FOR", "10s", "BEN_CIRCUIT_MAX_OPEN",
                    "10s", "BEN_SWEEPER_INTERVAL", "1s", "BEN_RETRY_SCHEDULE",
                    "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s"));
            try (SenderStack stack = SenderStack.start(aws, env, b -> { }, "notify", "retry", "sweeper")) {
                stack.putEndpoint("ep-broken", receiver.url("/h").toString(), List.of(secret()), null);
                IntStream.range(0, 3).forEach(i -> stack.payOrder("ord-opening-" + i));
                assertThat(await(Duration.ofSeconds(30), () -> circuitOf(stack, "ep-broken").equals("OPEN")))
                        .as("opened by the failures").isTrue();

                int parkedOrders = 6;
                IntStream.range(0, parkedOrders).forEach(i -> stack.payOrder("ord-parked-" + i));
                boolean allParked = await(Duration.ofSeconds(8), () -> of(stack, "ep-broken").size() == 3 + parkedOrders
                        && of(stack, "ep-broken").stream().allMatch(EndpointIsolationIT::parked));
                int waitingInTheQueue = stack.queueDepth(BenSettings.RETRY_QUEUE);
                var whileOpen = ofEntities(stack, "ep-broken", "ord-parked-");
                receiver.behaviour((id, n) -> Reply.ok());

                assertThat(allParked).as("every delivery parked while the circuit is open").isTrue();
                assertThat(whileOpen).hasSize(parkedOrders).allSatisfy(d -> {
                    assertThat(s(d, "status")).isEqualTo("RETRYING");
                    assertThat(s(d, "attempts")).isEqualTo("0");
                });
                assertThat(waitingInTheQueue).as("visible, delayed and in-flight retry messages").isZero();
                assertThat(await(Duration.ofSeconds(60), () -> allTerminal(of(stack, "ep-broken"), 3 + parkedOrders)))
                        .as("released and delivered after the receiver healed").isTrue();
                assertThat(of(stack, "ep-broken")).allSatisfy(d -> assertThat(s(d, "status")).isEqualTo("DELIVERED"));
                assertThat(circuitOf(stack, "ep-broken")).isEqualTo("CLOSED");
                for (var d : whileOpen) {
                    assertThat(receiver.received(s(d, "eventId"))).as("POSTs of " + s(d, "eventId")).hasSize(1);
                }
                for (var d : of(stack, "ep-broken")) {
                    assertThat(receiver.received(s(d, "eventId"))).as("answered 200 once: " + s(d, "eventId"))
                            .filteredOn(r -> r.reply() instanceof Reply.Status st && st.code() == 200).hasSize(1);
                }
                assertThat(stack.queueDepth(BenSettings.RETRY_DLQ)).isZero();
            }
        }
    }

    @Test
    void rateLimit_ofFivePerSecond_neverLetsMoreThanFivePostsReachTheReceiverInAnySecond() {
        try (TestReceiver receiver = TestReceiver.start((id, n) -> Reply.ok())) {
            // the sweeper as deployed: a message deferred past the queue's maxReceiveCount is re-driven by it
            try (SenderStack stack = SenderStack.start(aws, env(Map.of()), b -> { }, "notify", "retry", "sweeper")) {
                stack.putEndpoint(new Endpoint("ep-limited", receiver.url("/h").toString(), Set.of("order.paid"),
                        List.of(secret()), true, "", 5, null, null, ""));
                int orders = 30;
                try (ExecutorService writers = Executors.newFixedThreadPool(6)) {
                    IntStream.range(0, orders).forEach(i -> writers.submit(() -> stack.payOrder("ord-" + i)));
                }

                boolean done = await(Duration.ofSeconds(90), () -> allTerminal(of(stack, "ep-limited"), orders));
                of(stack, "ep-limited").stream().filter(d -> !"DELIVERED".equals(s(d, "status"))).forEach(d ->
                        System.out.printf("rate limit 5/s: not delivered %s %s attempts %s: %s%n", s(d, "deliveryId"),
                                s(d, "status"), s(d, "attempts"), s(d, "lastError")));
                System.out.println("rate limit 5/s: retry DLQ depth " + stack.queueDepth(BenSettings.RETRY_DLQ));
                assertThat(done).as("all delivered in time").isTrue();
                List<Instant> arrivals = receiver.received().stream().map(TestReceiver.Received::at).sorted().toList();
                int most = mostInAnySecond(arrivals);
                System.out.printf("rate limit 5/s: %d POSTs over %d ms, at most %d in any second%n", arrivals.size(),
                        Duration.between(arrivals.getFirst(), arrivals.getLast()).toMillis(), most);

                assertThat(of(stack, "ep-limited")).allSatisfy(d -> assertThat(s(d, "status")).isEqualTo("DELIVERED"));
                assertThat(arrivals).hasSizeGreaterThanOrEqualTo(orders);
                assertThat(most).isLessThanOrEqualTo(5);
            }
        }
    }

    /** The most arrivals inside any window [t, t + 1 s). */
    static int mostInAnySecond(List<Instant> sorted) {
        int most = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (!sorted.get(from).plusSeconds(1).isAfter(sorted.get(to))) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }

    @Test
    void budget_aHangingReceiverIsCutOffAtTheBudget_andItsDeliveryWaitsInTheQueue() {
        try (TestReceiver hanging = TestReceiver.start((id, n) -> new Reply.Status(200, Map.of(), "late", 30_000));
             TestReceiver healthy = TestReceiver.start((id, n) -> Reply.ok())) {
            var env = env(Map.of("BEN_NOTIFY_BUDGET", "1s", "BEN_HTTP_TIMEOUT", "10s", "BEN_RETRY_SCHEDULE", "1m"));
            try (SenderStack stack = SenderStack.start(aws, env, b -> { }, "notify")) {
                stack.putEndpoint("ep-hanging", hanging.url("/h").toString(), List.of(secret()), null);
                stack.putEndpoint("ep-healthy", healthy.url("/h").toString(), List.of(secret()), null);
                stack.payOrder("ord-1");

                assertThat(await(Duration.ofSeconds(30), () -> of(stack, "ep-hanging").stream()
                        .anyMatch(d -> "RETRYING".equals(s(d, "status"))))).isTrue();
                var waiting = of(stack, "ep-hanging").getFirst();
                var delivered = of(stack, "ep-healthy").getFirst();

                assertThat(s(delivered, "status")).isEqualTo("DELIVERED");
                assertThat(s(waiting, "lastError")).matches("TIMEOUT: no response within \\d{1,4} ms.*");
                assertThat(Long.parseLong(s(waiting, "lastError").replaceAll("\\D+", " ").trim().split(" ")[0]))
                        .as("cut off by the 1 s budget, not the 10 s HTTP timeout").isLessThanOrEqualTo(1000);
                assertThat(stack.queueDepth(BenSettings.RETRY_QUEUE)).as("its retry is queued").isEqualTo(1);
            }
        }
    }

    @Test
    void malformedSecret_failsThatDeliveryWithTheReason_andNeverBlocksTheStream() {
        ReportedRecords reports = new ReportedRecords();
        try (TestReceiver receiver = TestReceiver.start((id, n) -> Reply.ok())) {
            try (SenderStack stack = SenderStack.start(aws, env(Map.of()), (b, fnEnv) -> b.handler("notify",
                    reports.counting(new NotifyHandler(fnEnv))), "notify", "retry")) {
                stack.putEndpoint("ep-good", receiver.url("/h").toString(), List.of(secret()), null);
                // written around the store's validation, as a hand-edited item would be
                aws.dynamoDb().putItem(b -> b.tableName(stack.table(BenSettings.ENDPOINTS_TABLE)).item(Map.of(
                        "endpointId", AttributeValue.fromS("ep-bad-secret"),
                        "url", AttributeValue.fromS(receiver.url("/bad").toString()),
                        "eventTypes", AttributeValue.fromSs(List.of("order.paid")),
                        "secrets", AttributeValue.fromL(List.of(AttributeValue.fromS("whsec_not-base64!"))))));
                stack.payOrder("ord-1");
                stack.payOrder("ord-2");

                assertThat(await(Duration.ofSeconds(30), () -> allTerminal(of(stack, "ep-bad-secret"), 2)
                        && allTerminal(of(stack, "ep-good"), 2))).isTrue();

                assertThat(of(stack, "ep-bad-secret")).allSatisfy(d -> {
                    assertThat(s(d, "status")).isEqualTo("FAILED");
                    assertThat(s(d, "lastError")).contains("has a malformed signing secret")
                            .doesNotContain("not-base64");
                });
                assertThat(of(stack, "ep-good")).allSatisfy(d -> assertThat(s(d, "status")).isEqualTo("DELIVERED"));
                assertThat(reports.total()).as("stream records reported or batches failed").isZero();
                assertThat(receiver.received()).hasSize(2);
            }
        }
    }
}
