package dev.ben.examples.orders.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ben.cli.BenCli;
import dev.ben.examples.orders.OrdersExample;
import dev.ben.local.launcher.LocalBen;
import dev.ben.local.launcher.LocalScenario.Companion;
import dev.ben.settings.BenSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The live part of {@code ./ben-local} for the orders example: system A pays an order every few seconds; Ben
 * notifies system B through a demo receiver that sometimes fails (a loopback proxy in front of B's real webhook
 * function that answers 503 to about a third of the requests); deliveries, retries and final states are printed as
 * they happen. Uses Ben only as a user does: the tables of {@link LocalBen}, {@code ./ben endpoints add}.
 */
public final class LiveDemo implements Companion {

    /** Environment for the functions: a short retry schedule so the retries show within seconds. */
    public static final Map<String, String> ENVIRONMENT = Map.of(
            "BEN_RETRY_SCHEDULE", "3s,5s,10s,20s",
            "BEN_LOG_LEVEL", "WARN",
            "BEN_METRICS", "false",
            "BEN_ENDPOINT_CACHE", "2s");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final LocalBen demo;
    private final PrintStream out;
    private final HttpServer flakyReceiver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final Map<String, String> bSeen = new ConcurrentHashMap<>();
    private final AtomicInteger orders = new AtomicInteger();
    private final Random random = new Random();
    private final double failureRate;

    private LiveDemo(LocalBen demo, PrintStream out, double failureRate) throws IOException {
        this.demo = demo;
        this.out = out;
        this.failureRate = failureRate;
        flakyReceiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        flakyReceiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        flakyReceiver.createContext("/", this::receive);
        flakyReceiver.start();
    }

    /** Registers the demo endpoint and starts paying orders every {@code every}. */
    public static LiveDemo start(LocalBen demo, PrintStream out, Duration every, double failureRate) {
        LiveDemo live;
        try {
            live = new LiveDemo(demo, out, failureRate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the demo receiver: " + e.getMessage(), e);
        }
        live.registerEndpoint();
        live.scheduler.scheduleWithFixedDelay(live::payNextOrder, 1000, every.toMillis(), TimeUnit.MILLISECONDS);
        live.scheduler.scheduleWithFixedDelay(live::watch, 500, 500, TimeUnit.MILLISECONDS);
        return live;
    }

    @Override
    public String describe() {
        return "Live demo: system A pays an order every few seconds; Ben signs and POSTs order.paid to a demo "
                + "receiver at " + receiverUrl() + " that answers 503 to ~" + Math.round(failureRate * 100)
                + " % of requests and forwards the rest to B's webhook function. Retries follow "
                + ENVIRONMENT.get("BEN_RETRY_SCHEDULE") + ".\n";
    }

    private URI receiverUrl() {
        return URI.create("http://127.0.0.1:" + flakyReceiver.getAddress().getPort() + OrdersExample.WEBHOOK_ROUTE);
    }

    /** {@code ./ben endpoints add} (in-process): B's endpoint, signed with the secret B's webhook function checks. */
    private void registerEndpoint() {
        StringWriter output = new StringWriter();
        String api = demo.managementApi().orElseThrow(() -> new IllegalStateException(
                "the management API is not deployed: ./ben endpoints add goes through it")).toString();
        int code = BenCli.run(new String[] {"--api-url", api, "--api-token", demo.managementApiToken(),
                        "endpoints", "add", receiverUrl().toString(), "--id", "system-b",
                        "--event-type", OrdersExample.ORDER_PAID, "--secret", demo.receiverSecret(), "--allow-private"},
                Map.of(), new PrintWriter(output), new PrintWriter(output));
        if (code != 0) {
            throw new IllegalStateException("./ben endpoints add failed (" + code + "): " + output);
        }
    }

    private String table(String logical) {
        return demo.resources().tableName(logical);
    }

    private void payNextOrder() {
        try {
            String orderId = "ord-" + String.format("%04d", orders.incrementAndGet());
            String now = Instant.now().toString();
            var orders = table(demo.declaration().sources().getFirst().name());
            demo.aws().dynamoDb().putItem(b -> b.tableName(orders).item(Map.of(
                    "orderId", AttributeValue.fromS(orderId), "status", AttributeValue.fromS("PENDING"),
                    "version", AttributeValue.fromN("1"), "amount", AttributeValue.fromN(Integer.toString(
                            1000 + random.nextInt(9000))), "currency", AttributeValue.fromS("EUR"),
                    "updatedAt", AttributeValue.fromS(now))));
            demo.aws().dynamoDb().updateItem(b -> b.tableName(orders)
                    .key(Map.of("orderId", AttributeValue.fromS(orderId)))
                    .updateExpression("SET #s = :paid, version = :v, updatedAt = :u")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":paid", AttributeValue.fromS("PAID"),
                            ":v", AttributeValue.fromN("2"), ":u", AttributeValue.fromS(Instant.now().toString()))));
            line("A", orderId + " PAID (version 2) → DynamoDB stream");
        } catch (RuntimeException e) {
            line("A", "could not write an order: " + e.getMessage());
        }
    }

    /** The demo receiver: fails about {@code failureRate} of the requests, forwards the rest to B's function. */
    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            boolean fail;
            synchronized (random) {
                fail = random.nextDouble() < failureRate;
            }
            if (fail) {
                line("B", "webhook " + id + " → 503 (simulated outage)");
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            URI target = demo.runtime().httpEndpoint(OrdersExample.RECEIVER_API).resolve(OrdersExample.WEBHOOK_ROUTE);
            HttpRequest.Builder forward = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : List.of("webhook-id", "webhook-timestamp", "webhook-signature", "content-type")) {
                String v = exchange.getRequestHeaders().getFirst(h);
                if (v != null) {
                    forward.header(h, v);
                }
            }
            HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            line("B", "webhook " + id + " → " + answer.statusCode() + " (B's webhook function)");
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                exchange.getResponseBody().write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Prints every change of a delivery (status, attempts) and when B's copy of an order becomes PAID. */
    private void watch() {
        try {
            var items = demo.aws().dynamoDb().scan(b -> b.tableName(table(BenSettings.DELIVERIES_TABLE))
                    .consistentRead(true)).items();
            for (var d : items) {
                String id = d.get("deliveryId").s();
                String status = d.get("status").s();
                String attempts = d.get("attempts").n();
                String key = status + "/" + attempts;
                if (key.equals(seen.put(id, key))) {
                    continue;
                }
                String entity = d.containsKey("entityId") ? d.get("entityId").s() : "?";
                String code = d.containsKey("lastStatusCode") ? d.get("lastStatusCode").n() : "0";
                String text = switch (status) {
                    case "PENDING" -> "delivery created, first attempt in flight";
                    case "DELIVERED" -> "DELIVERED after " + attempts + " attempt(s)";
                    case "RETRYING" -> "attempt " + attempts + " failed (HTTP " + code + "), next at "
                            + TIME.format(Instant.parse(d.get("nextAttemptAt").s()));
                    default -> status + " after " + attempts + " attempt(s): "
                            + (d.containsKey("lastError") ? d.get("lastError").s() : "");
                };
                line("Ben", entity + " → system-b: " + text);
            }
            var bOrders = demo.aws().dynamoDb().scan(b -> b.tableName(table(OrdersExample.RECEIVER_ORDERS_TABLE))
                    .consistentRead(true)).items();
            for (var o : bOrders) {
                String orderId = o.get("orderId").s();
                String status = o.containsKey("status") ? o.get("status").s() : "?";
                if (!status.equals(bSeen.put(orderId, status))) {
                    line("B", orderId + " is " + status + " in B's table (applied once, whatever the retries)");
                }
            }
        } catch (RuntimeException e) {
            line("demo", "watch failed: " + e.getMessage());
        }
    }

    private void line(String who, String text) {
        synchronized (out) {
            out.printf("%s %-4s %s%n", TIME.format(Instant.now()), who, text);
            out.flush();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        flakyReceiver.stop(0);
    }

}
