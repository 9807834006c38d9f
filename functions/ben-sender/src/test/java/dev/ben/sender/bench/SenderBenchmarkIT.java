package dev.ben.sender.bench;

import static dev.ben.sender.testing.SenderStack.await;
import static dev.ben.sender.testing.SenderStack.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.NotifyMode;
import dev.ben.sender.notify.NotifyHandler;
import dev.ben.sender.retry.RetryHandler;
import dev.ben.sender.sweeper.SweeperHandler;
import dev.ben.sender.testing.CallCounter;
import dev.ben.sender.testing.SenderStack;
import dev.ben.sender.testing.TestReceiver;
import dev.ben.sender.testing.TestReceiver.Reply;
import dev.ben.sender.testing.UnitRig;
import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.Trigger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sender's benchmarks (docs/sender.md). Run with:
 * {@code ./mvnw -B -o -pl functions/ben-sender -am verify -Dit.test=SenderBenchmarkIT -Dben.benchmark=true
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}; figures are printed as lines starting with "BENCH".
 */
@ExtendWith(LocalAwsExtension.class)
@EnabledIfSystemProperty(named = "ben.benchmark", matches = "true")
class SenderBenchmarkIT {

    private final LocalAws aws;

    SenderBenchmarkIT(LocalAws aws) {
        this.aws = aws;
    }

    private static void print(String format, Object... args) {
        System.out.printf("BENCH " + format + "%n", args);
    }

    /** Stream records as Lambda would pass them: order i of {@code table} went PENDING → PAID. */
    static DynamodbEvent paidRecords(String table, String prefix, int n) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var r = new DynamodbEvent.DynamodbStreamRecord();
            r.setEventID(prefix + "-" + i);
            r.setEventName("MODIFY");
            r.setEventSource("aws:dynamodb");
            r.setEventSourceARN("arn:aws:dynamodb:us-east-1:000000000000:table/" + table + "/stream/bench");
            var sr = new StreamRecord();
            sr.setSequenceNumber(String.format("%021d", i + 1));
            sr.setApproximateCreationDateTime(new Date());
            Map<String, AttributeValue> image = new HashMap<>();
            image.put("orderId", new AttributeValue().withS(prefix + "-ord-" + i));
            image.put("status", new AttributeValue().withS("PAID"));
            image.put("version", new AttributeValue().withN("2"));
            image.put("amount", new AttributeValue().withN("4999"));
            image.put("currency", new AttributeValue().withS("EUR"));
            Map<String, AttributeValue> old = new HashMap<>(image);
            old.put("status", new AttributeValue().withS("PENDING"));
            sr.setNewImage(image);
            sr.setOldImage(old);
            r.setDynamodb(sr);
            records.add(r);
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(records);
        return event;
    }

    /** The seed's loop: one POST after the other, each waiting for its answer. */
    static long seedSequentialMillis(URI url, List<String> bodies) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        long start = System.nanoTime();
        for (String body : bodies) {
            client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.discarding());
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void fanOut_100DeliveriesToA100msReceiver_versusTheSeedsSequentialLoop() throws Exception {
        try (TestReceiver receiver = TestReceiver.start((id, n) -> new Reply.Status(200, Map.of(), "", 100))) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                bodies.add("{\"type\":\"order.paid\",\"id\":\"evt_" + i + "\",\"data\":{}}");
            }
            seedSequentialMillis(receiver.url("/warm"), bodies.subList(0, 5)); // warm-up
            long seed = seedSequentialMillis(receiver.url("/seed"), bodies);

            // notify on the local stack (real DynamoDB writes), both write modes
            for (NotifyMode mode : NotifyMode.values()) {
                Map<String, String> env = new HashMap<>(SenderStack.testEnvironment());
                env.put("BEN_NOTIFY_MODE", mode.name());
                env.put("BEN_NOTIFY_CONCURRENCY", "128");
                env.put("BEN_LOG_LEVEL", "OFF");
                try (SenderStack stack = SenderStack.start(aws, env, b -> { }, "status-api")) {
                    stack.putEndpoint("ep-1", receiver.url("/ben").toString(),
                            List.of(WebhookSecret.generate().encoded()), null);
                    Map<String, String> fnEnv = new HashMap<>(stack.resources.environment());
                    fnEnv.putAll(env);
                    NotifyHandler handler = new NotifyHandler(fnEnv);
                    String table = stack.table("orders");
                    handler.handleRequest(paidRecords(table, "warm-" + mode, 10), null);
                    long start = System.nanoTime();
                    var response = handler.handleRequest(paidRecords(table, "bench-" + mode, 100), null);
                    long ours = (System.nanoTime() - start) / 1_000_000;
                    assertThat(response.getBatchItemFailures()).isEmpty();
                    print("fan-out notify[%s, local DynamoDB] 100 deliveries: %d ms; seed sequential loop: %d ms;"
                            + " ratio %.1fx", mode, ours, seed, (double) seed / ours);
                }
            }

            // the sending path alone (in-memory store): what the HTTP fan-out itself costs
            UnitRig rig = new UnitRig(dev.ben.core.model.Endpoint.of("ep-1", receiver.url("/mem").toString(),
                    java.util.Set.of("order.paid"), List.of(UnitRig.SECRET)));
            var sender = new dev.ben.core.http.HttpWebhookSender(new dev.ben.core.egress.EgressGuard(
                    dev.ben.core.egress.AddressPolicy.localDevelopment()),
                    dev.ben.core.http.SenderConfig.defaults().withMaxConcurrency(128), java.time.Clock.systemUTC());
            var service = new dev.ben.sender.internal.NotifyService(new dev.ben.sender.internal.EventMapper(
                    UnitRig.demoDeclaration(), Map.of()), rig.endpoints,
                    new dev.ben.sender.internal.UrlEndpoints(rig.tenants), rig.events,
                    rig.deliveries, rig.queue, new dev.ben.sender.internal.DeliveryRunner(rig.attempts,
                    rig.endpoints, rig.queue, sender, dev.ben.sender.internal.SenderComponents.signers(), rig.policy,
                    java.time.Clock.systemUTC(), rig.telemetry), NotifyMode.SAFE, 128, 350_000, rig.telemetry);
            service.process(paidRecords("orders", "warm-mem", 10).getRecords());
            long start = System.nanoTime();
            service.process(paidRecords("orders", "bench-mem", 100).getRecords());
            long mem = (System.nanoTime() - start) / 1_000_000;
            print("fan-out notify[in-memory store] 100 deliveries: %d ms; seed sequential loop: %d ms; ratio %.1fx",
                    mem, seed, (double) seed / mem);
        }
    }

    @Test
    void busyTime_perFailingNotification_versusTheSeedsSleepRetry() throws Exception {
        int notifications = 20;
        try (TestReceiver receiver = TestReceiver.start((id, n) -> Reply.status(503))) {
            // the seed: 5 attempts with 1+2+4+8+16 s of sleep, all inside the function
            List<String> body = List.of("{\"type\":\"order.paid\",\"id\":\"evt_x\",\"data\":{}}");
            long post = 0;
            seedSequentialMillis(receiver.url("/warm"), body);
            for (int i = 0; i < 5; i++) {
                post += seedSequentialMillis(receiver.url("/seed"), body);
            }
            long seedBusy = 31_000 + post;

            Map<String, String> env = new HashMap<>(SenderStack.testEnvironment());
            env.put("BEN_RETRY_SCHEDULE", "1s,1s,1s,1s"); // 5 attempts, as the seed
            env.put("BEN_LOG_LEVEL", "OFF");
            AtomicLong busyNanos = new AtomicLong();
            AtomicLong invocations = new AtomicLong();
            try (SenderStack stack = SenderStack.start(aws, env, (b, fnEnv) -> b
                    .handler("notify", timed(new NotifyHandler(fnEnv), busyNanos, invocations))
                    .handler("retry", timed(new RetryHandler(fnEnv), busyNanos, invocations)), "notify", "retry")) {
                stack.putEndpoint("ep-1", receiver.url("/ben").toString(), List.of(WebhookSecret.generate().encoded()),
                        null);
                for (int i = 0; i < notifications; i++) {
                    stack.payOrder("busy-" + i);
                }
                assertThat(await(Duration.ofSeconds(90), () -> stack.deliveries().stream()
                        .filter(d -> "FAILED".equals(s(d, "status"))).count() == notifications)).isTrue();
                double oursMs = busyNanos.get() / 1e6 / notifications;
                print("busy time per failing notification (5 attempts): ours %.1f ms over %d invocations "
                        + "(all %d notifications); seed %d ms (31 s sleeping + %d ms of POSTs); ratio %.0fx",
                        oursMs, invocations.get(), notifications, seedBusy, post, seedBusy / oursMs);
            }
        }
    }

    @Test
    void endToEndLatency_atASteadyRate() throws Exception {
        latencyAt(withNotifyBatchingWindow(Duration.ofSeconds(1)), "1 s batching window", 50, Duration.ofSeconds(10));
        for (int rate : new int[] {10, 50, 200}) {
            latencyAt(BenSettings.of(SenderStack.demoDeclaration()), "default (batching window 0)", rate, Duration.ofSeconds(10));
        }
    }

    @Test
    void baseline_localDynamoDbWriteThroughput() throws Exception {
        try (SenderStack stack = SenderStack.start(aws, SenderStack.testEnvironment(), b -> { }, "status-api")) {
            String table = stack.table(BenSettings.ATTEMPTS_TABLE);
            int n = 600;
            long start = System.nanoTime();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(64)) {
                for (int i = 0; i < n; i++) {
                    int k = i;
                    pool.submit(() -> aws.dynamoDb().putItem(b -> b.tableName(table).item(Map.of(
                            "deliveryId", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("d" + k),
                            "attemptNumber", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("1")))));
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            print("baseline: %d PutItem calls, 64 in parallel, on the local stack: %d ms (%.0f writes/s); load average %s",
                    n, ms, n * 1000.0 / ms, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
        }
    }

    /** The default settings with the notify stream trigger's maximum batching window replaced. */
    static BenSettings withNotifyBatchingWindow(Duration window) {
        BenSettings d = BenSettings.of(SenderStack.demoDeclaration());
        List<FunctionSpec> functions = d.functions().stream().map(f -> !f.logicalName().equals("notify") ? f
                : new FunctionSpec(f.logicalName(), f.handler(), f.module(), f.memoryMb(), f.timeout(),
                f.triggers().stream().map(t -> t instanceof Trigger.StreamTrigger st
                        ? new Trigger.StreamTrigger(st.table(), st.batchSize(), window, st.startingPosition(),
                        st.bisectBatchOnFunctionError(), st.maximumRetryAttempts(), st.maximumRecordAge(),
                        st.reportBatchItemFailures(), st.filterPatterns(), st.onFailureQueue(),
                        st.parallelizationFactor()) : t).toList(), f.tables(), f.queues())).toList();
        return new BenSettings(d.tables(), d.queues(), functions, d.sources());
    }

    private void latencyAt(BenSettings settings, String label, int perSecond, Duration duration) throws Exception {
        Map<String, Instant> written = new ConcurrentHashMap<>();
        Map<String, Instant> received = new ConcurrentHashMap<>();
        try (TestReceiver receiver = TestReceiver.start((id, n) -> Reply.ok())) {
            Map<String, String> env = new HashMap<>(SenderStack.testEnvironment());
            env.put("BEN_LOG_LEVEL", "OFF");
            try (SenderStack stack = SenderStack.start(aws, settings, env, (b, e) -> { }, "notify", "retry")) {
                stack.putEndpoint("ep-1", receiver.url("/ben").toString(), List.of(WebhookSecret.generate().encoded()),
                        null);
                int total = (int) (perSecond * duration.toSeconds());
                for (int i = 0; i < total; i++) {
                    stack.createOrder("lat-" + perSecond + "-" + i);
                }
                long periodNanos = 1_000_000_000L / perSecond;
                long start = System.nanoTime();
                try (var writers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < total; i++) {
                        long due = start + i * periodNanos;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        String id = "lat-" + perSecond + "-" + i;
                        writers.submit(() -> {
                            written.put(id, Instant.now());
                            stack.markPaid(id);
                        });
                    }
                }
                long writeSeconds = (System.nanoTime() - start) / 1_000_000_000L;
                assertThat(await(Duration.ofSeconds(120), () -> receiver.received().size() >= total)).isTrue();
                for (var r : receiver.received()) {
                    String orderId = r.body().replaceAll(".*\"orderId\":\"([^\"]+)\".*", "$1");
                    received.putIfAbsent(orderId, r.at());
                }
                List<Long> latencies = written.entrySet().stream()
                        .map(e -> Duration.between(e.getValue(), received.get(e.getKey())).toMillis()).sorted().toList();
                print("end-to-end latency [%s] at %d/s for %d s (%d orders, writes took %d s): p50 %d ms, p99 %d ms, "
                        + "max %d ms", label, perSecond, duration.toSeconds(), total, writeSeconds,
                        latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.99)),
                        latencies.getLast());
            }
        }
    }

    @Test
    void awsApiCalls_perSuccessfulAndPerRetriedNotification() {
        int n = 50;
        for (NotifyMode mode : NotifyMode.values()) {
            for (boolean failOnce : new boolean[] {false, true}) {
                CallCounter counter = new CallCounter();
                Map<String, String> env = new HashMap<>(SenderStack.testEnvironment());
                env.put("BEN_NOTIFY_MODE", mode.name());
                env.put("BEN_LOG_LEVEL", "OFF");
                env.put("BEN_ENDPOINT_CACHE", "5m");
                try (TestReceiver receiver = TestReceiver.start((id, seen) -> failOnce && seen == 0
                        ? Reply.status(503) : Reply.ok());
                     SenderStack stack = SenderStack.start(aws, env, (b, fnEnv) -> b
                             .handler("notify", new NotifyHandler(fnEnv, List.of(counter)))
                             .handler("retry", new RetryHandler(fnEnv, List.of(counter)))
                             .handler("sweeper", new SweeperHandler(fnEnv, List.of(counter))),
                             "notify", "retry")) {
                    stack.putEndpoint("ep-1", receiver.url("/ben").toString(),
                            List.of(WebhookSecret.generate().encoded()), null);
                    for (int i = 0; i < n; i++) {
                        stack.payOrder("calls-" + i);
                    }
                    assertThat(await(Duration.ofSeconds(60), () -> stack.deliveries().stream()
                            .filter(d -> "DELIVERED".equals(s(d, "status"))).count() == n)).isTrue();
                    int attemptRows = failOnce ? 2 * n : n; // the invocation's last write: its attempt rows
                    assertThat(await(Duration.ofSeconds(30), () -> attemptRowCount(stack) == attemptRows)).isTrue();
                    var calls = counter.snapshot();
                    long writes = sum(calls, "DynamoDB.PutItem", "DynamoDB.UpdateItem", "DynamoDB.DeleteItem",
                            "DynamoDB.BatchWriteItem");
                    long reads = sum(calls, "DynamoDB.GetItem", "DynamoDB.Query", "DynamoDB.Scan",
                            "DynamoDB.BatchGetItem");
                    long sqs = calls.entrySet().stream().filter(e -> e.getKey().startsWith("Sqs."))
                            .mapToLong(Map.Entry::getValue).sum();
                    print("API calls per %s notification [%s]: DynamoDB write requests %.2f (items written %.2f),"
                                    + " DynamoDB reads %.2f, SQS %.2f (function-side calls only; ESM polling/deletes"
                                    + " not counted) %s",
                            failOnce ? "retried-once" : "first-try-success", mode, (double) writes / n,
                            calls.getOrDefault("DynamoDB.itemsWritten", 0L) / (double) n, (double) reads / n,
                            (double) sqs / n, calls);
                }
            }
        }
    }

    private int attemptRowCount(SenderStack stack) {
        return aws.dynamoDb().scan(b -> b.tableName(stack.table(BenSettings.ATTEMPTS_TABLE)).consistentRead(true)
                .select("COUNT")).count();
    }

    private static long sum(Map<String, Long> calls, String... keys) {
        long total = 0;
        for (String k : keys) {
            total += calls.getOrDefault(k, 0L);
        }
        return total;
    }

    private static <I, O> com.amazonaws.services.lambda.runtime.RequestHandler<I, O> timed(
            com.amazonaws.services.lambda.runtime.RequestHandler<I, O> handler, AtomicLong nanos, AtomicLong count) {
        return (event, context) -> {
            long start = System.nanoTime();
            try {
                return handler.handleRequest(event, context);
            } finally {
                nanos.addAndGet(System.nanoTime() - start);
                count.incrementAndGet();
            }
        };
    }

}
