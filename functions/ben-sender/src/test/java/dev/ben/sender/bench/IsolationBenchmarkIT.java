package dev.ben.sender.bench;

import static dev.ben.sender.testing.SenderStack.await;
import static dev.ben.sender.testing.SenderStack.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ben.core.model.Endpoint;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.notify.NotifyHandler;
import dev.ben.sender.testing.ReportedRecords;
import dev.ben.sender.testing.SenderStack;
import dev.ben.settings.declaration.Declaration;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Isolation on the local stack (docs/sender.md, "Isolation benchmark"): {@code ben.isolation.endpoints} endpoints
 * (100), one tenant each, events spread evenly over them at {@code ben.isolation.rate} per second (100) for
 * {@code ben.isolation.seconds} (60), after an unmeasured all-healthy warm-up of {@code ben.isolation.warmup} s (15).
 * Run once with 10 % of the endpoints hanging past the HTTP timeout and 10 %
 * answering 503, once with every endpoint answering 200; prints the healthy endpoints' first-delivery latency of
 * both runs, the load average, the deliveries by status and the stream records reported. Production defaults
 * (HTTP timeout 10 s, notify budget 3 s, circuit breakers on, the sweeper every minute with its 3 min grace), a
 * compressed retry schedule and a 2 min max age so every delivery ends.
 */
@ExtendWith(LocalAwsExtension.class)
@EnabledIfSystemProperty(named = "ben.benchmark", matches = "true")
class IsolationBenchmarkIT {

    private static final int ENDPOINTS = Integer.getInteger("ben.isolation.endpoints", 100);
    private static final int RATE = Integer.getInteger("ben.isolation.rate", 100);
    private static final int SECONDS = Integer.getInteger("ben.isolation.seconds", 60);
    /** An unmeasured all-healthy run first, so neither measured run pays the JVM's warm-up (JIT, class loading). */
    private static final int WARMUP_SECONDS = Integer.getInteger("ben.isolation.warmup", 15);
    /** The source's parallelization (notify batches per stream shard at once). */
    private static final int PARALLELIZATION = Integer.getInteger("ben.isolation.parallelization", 1);
    /** notify's straggler grace ({@code BEN_STRAGGLER_GRACE}), e.g. {@code 1s}; {@code 0} waits until the budget. */
    private static final String GRACE = System.getProperty("ben.isolation.grace", "1s");
    /**
     * The first seconds of a run, when notify meets each bad receiver for the first time (a batch waits the straggler
     * grace for a hanging one it has not cut off yet): printed apart, so the steady state shows on its own.
     */
    private static final Duration FIRST_CONTACT = Duration.ofSeconds(5);
    /** The sweeper's production cadence, not the test stack's every second. */
    private static final Duration SWEEPER_EVERY = Duration.ofMinutes(1);
    private static final Pattern PAYMENT = Pattern.compile("\"paymentId\":\"([^\"]+)\"");

    private final LocalAws aws;

    IsolationBenchmarkIT(LocalAws aws) {
        this.aws = aws;
    }

    private static void print(String format, Object... args) {
        System.out.printf("BENCH " + format + "%n", args);
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * Every tenth endpoint hangs and the one after it answers 503 (in the run with bad endpoints); the rest are
     * healthy. Interleaved, because events reach endpoints in no particular order: with the bad ones numbered first,
     * the round-robin load sent ten events in a row to hanging receivers, so small batches held nothing else.
     */
    private static String behaviour(int endpoint, boolean bad) {
        if (!bad || alwaysHealthy(endpoint)) {
            return "ok";
        }
        return endpoint % 10 == 0 ? "hang" : "503";
    }

    private static boolean alwaysHealthy(int endpoint) {
        return endpoint % 10 >= 2;
    }

    /** What one run measured. */
    record Figures(String label, long p50, long p99, long max, int healthyEvents, Map<String, Long> byStatus,
                   long reported, long unfinished, double loadBefore, double loadAfter) {
    }

    @Test
    void isolation_healthyEndpointsFirstDelivery_withAndWithoutBadEndpoints() throws Exception {
        if (WARMUP_SECONDS > 0) {
            Figures warmup = run(false, WARMUP_SECONDS);
            print("isolation warm-up (not measured), %d s: p50 %d ms, p99 %d ms", WARMUP_SECONDS, warmup.p50(),
                    warmup.p99());
        }
        Figures baseline = run(false, SECONDS);
        Figures bad = run(true, SECONDS);

        for (Figures f : List.of(baseline, bad)) {
            print("isolation [%s] %d endpoints, %d events/s for %d s: healthy endpoints' first delivery p50 %d ms, "
                            + "p99 %d ms, max %d ms (%d events); deliveries %s; unfinished %d; stream records "
                            + "reported %d; load average %.2f → %.2f", f.label(), ENDPOINTS, RATE, SECONDS, f.p50(),
                    f.p99(), f.max(), f.healthyEvents(), f.byStatus(), f.unfinished(), f.reported(), f.loadBefore(),
                    f.loadAfter());
        }
        print("isolation: p99 with bad endpoints / without = %.2fx (goal <= 1.5x), p50 %.2fx (straggler grace %s,"
                        + " parallelization %d)", (double) bad.p99() / Math.max(1, baseline.p99()),
                (double) bad.p50() / Math.max(1, baseline.p50()), GRACE, PARALLELIZATION);
        for (Figures f : List.of(baseline, bad)) {
            assertThat(f.reported()).as(f.label() + ": stream records reported").isZero();
            assertThat(f.unfinished()).as(f.label() + ": deliveries not in a final state").isZero();
        }
    }

    private Figures run(boolean withBadEndpoints, int seconds) throws Exception {
        String label = withBadEndpoints ? "10% hanging + 10% 503" : "all healthy";
        Map<String, Instant> written = new ConcurrentHashMap<>();
        Map<String, Instant> firstArrival = new ConcurrentHashMap<>();
        HttpServer receiver = receiver(withBadEndpoints, firstArrival);
        String table = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-payments";
        createTable(table);
        ReportedRecords reports = new ReportedRecords();
        double loadBefore = load();
        try (SenderStack stack = SenderStack.attach(aws, declaration(table), Map.of("payments", table),
                environment(), (b, env) -> b.handler("notify", reports.counting(new NotifyHandler(env)))
                        .schedule("ben-sweeper", SWEEPER_EVERY), "notify", "retry", "sweeper")) {
            String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
            for (int i = 0; i < ENDPOINTS; i++) {
                stack.putEndpoint(new Endpoint(endpointId(i), base + "/" + i, Set.of("payment.settled"),
                        List.of(WebhookSecret.generate().encoded()), true, "", 0, null, null, tenant(i)));
            }
            int total = write(table, written, seconds);
            boolean settled = await(Duration.ofMinutes(5), () -> finished(stack, total));
            var all = stack.deliveries();
            Map<String, Long> byStatus = all.stream().collect(Collectors.groupingBy(d -> s(d, "status"), TreeMap::new,
                    Collectors.counting()));
            long unfinished = total - all.stream().filter(d -> !List.of("PENDING", "RETRYING").contains(s(d, "status"))
                    && (s(d, "status").equals("DELIVERED") || s(d, "lastError") != null)).count();
            List<Long> latencies = healthyLatencies(written, firstArrival, Instant.MIN);
            Instant steady = written.values().stream().min(Instant::compareTo).orElseThrow().plus(FIRST_CONTACT);
            List<Long> afterFirstContact = healthyLatencies(written, firstArrival, steady);
            System.out.println("isolation [" + label + "] settled=" + settled);
            print("isolation [%s] %s", label, reports.batchSummary());
            print("isolation [%s] healthy endpoints' first delivery after the first %d s: p50 %d ms, p99 %d ms (%d "
                            + "events)", label, FIRST_CONTACT.toSeconds(), percentile(afterFirstContact, 0.5),
                    percentile(afterFirstContact, 0.99), afterFirstContact.size());
            return new Figures(label, percentile(latencies, 0.5), percentile(latencies, 0.99),
                    latencies.isEmpty() ? -1 : latencies.getLast(), latencies.size(), byStatus, reports.total(),
                    unfinished, loadBefore, load());
        } finally {
            receiver.stop(0);
        }
    }

    /** Write → first arrival of the events to always-healthy endpoints written at or after {@code from}, sorted. */
    private static List<Long> healthyLatencies(Map<String, Instant> written, Map<String, Instant> firstArrival,
                                               Instant from) {
        return written.entrySet().stream()
                .filter(e -> alwaysHealthy(Integer.parseInt(e.getKey().substring(e.getKey().indexOf('@') + 1))))
                .filter(e -> firstArrival.containsKey(e.getKey()) && !e.getValue().isBefore(from))
                .map(e -> Duration.between(e.getValue(), firstArrival.get(e.getKey())).toMillis())
                .sorted().toList();
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p)));
    }

    private static boolean finished(SenderStack stack, int total) {
        var all = stack.deliveries();
        return all.size() >= total && all.stream().noneMatch(d -> List.of("PENDING", "RETRYING")
                .contains(s(d, "status")));
    }

    /** Writes {@code RATE} settled payments per second for {@code seconds}, spread evenly over the tenants. */
    private int write(String table, Map<String, Instant> written, int seconds) {
        int total = RATE * seconds;
        long period = 1_000_000_000L / RATE;
        long start = System.nanoTime();
        try (var writers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long wait = start + i * period - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int endpoint = i % ENDPOINTS;
                String payment = "p" + i + "@" + endpoint;
                writers.submit(() -> {
                    written.put(payment, Instant.now());
                    aws.dynamoDb().putItem(b -> b.tableName(table).item(Map.of(
                            "tenantId", AttributeValue.fromS(tenant(endpoint)),
                            "paymentId", AttributeValue.fromS(payment),
                            "settled", AttributeValue.fromBool(true))));
                });
            }
        }
        return total;
    }

    private static String tenant(int endpoint) {
        return String.format("t-%03d", endpoint);
    }

    private static String endpointId(int endpoint) {
        return String.format("ep-%03d", endpoint);
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(SenderStack.testEnvironment());
        env.remove("BEN_CIRCUIT_FAILURES");
        env.remove("BEN_CIRCUIT_FAILURE_RATE");
        env.remove("BEN_CIRCUIT_TIMEOUTS");
        env.remove("BEN_SWEEPER_GRACE");
        env.put("BEN_HTTP_TIMEOUT", "10s");
        env.put("BEN_STRAGGLER_GRACE", GRACE);
        env.put("BEN_RETRY_SCHEDULE", "2s,4s,8s");
        env.put("BEN_RETRY_MAX_AGE", "2m"); // what waits behind an open circuit fails by then, inside the settle time
        env.put("BEN_LOG_LEVEL", "OFF");
        return env;
    }

    private static Declaration declaration(String table) {
        return Declaration.parse("""
                {"sources": [{
                  "name": "payments", "table": "%s", "parallelization": %d,
                  "partitionKey": {"name": "tenantId", "type": "S"},
                  "sortKey": {"name": "paymentId", "type": "S"},
                  "rules": [
                    {"eventType": "payment.settled", "when": {"attribute": "settled", "becomes": true},
                     "tenant": "tenantId", "payload": {"attributes": ["paymentId", "settled"]}}
                  ]}]}""".formatted(table, PARALLELIZATION));
    }

    private void createTable(String name) {
        aws.dynamoDb().createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("tenantId").attributeType(ScalarAttributeType.S)
                                .build(),
                        AttributeDefinition.builder().attributeName("paymentId").attributeType(ScalarAttributeType.S)
                                .build())
                .keySchema(KeySchemaElement.builder().attributeName("tenantId").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("paymentId").keyType(KeyType.RANGE).build())
                .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build()));
    }

    /** One HTTP server for every endpoint: {@code /N} behaves as endpoint N does; first arrivals recorded. */
    private static HttpServer receiver(boolean withBadEndpoints, Map<String, Instant> firstArrival)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> answer(exchange, withBadEndpoints, firstArrival));
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, boolean withBadEndpoints, Map<String, Instant> firstArrival)
            throws IOException {
        try (exchange) {
            Instant at = Instant.now();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int endpoint = Integer.parseInt(exchange.getRequestURI().getPath().substring(1));
            switch (behaviour(endpoint, withBadEndpoints)) {
                case "hang" -> {
                    LockSupport.parkNanos(Duration.ofSeconds(30).toNanos());
                    exchange.sendResponseHeaders(200, -1);
                }
                case "503" -> exchange.sendResponseHeaders(503, -1);
                default -> {
                    Matcher m = PAYMENT.matcher(body);
                    if (m.find()) {
                        firstArrival.putIfAbsent(m.group(1), at);
                    }
                    exchange.sendResponseHeaders(200, -1);
                }
            }
        }
    }
}
