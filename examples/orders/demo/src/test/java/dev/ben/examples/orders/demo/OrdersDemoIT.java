package dev.ben.examples.orders.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.examples.orders.OrdersExample;
import dev.ben.local.launcher.BenLocalMain;
import dev.ben.local.launcher.LocalBen;
import dev.ben.settings.FunctionSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The README's run command ({@code ./ben-local}, here with {@code --no-live}), minus the waiting: what the launcher
 * starts for the orders scenario, exercised over real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrdersDemoIT {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private BenLocalMain.Running running;
    private LocalBen demo;

    @BeforeAll
    void start() {
        running = BenLocalMain.start(new String[] {"--no-live", "--status-port", "0"},
                new PrintStream(output, true), Optional.of(new OrdersScenario()));
        demo = running.ben();
    }

    @AfterAll
    void stop() {
        running.close();
    }

    @Test
    void everyFunction_isDeployedOrSkippedBecauseItsHandlerIsNotBuiltYet() {
        for (FunctionSpec function : OrdersExample.settings().functions()) {
            boolean present = isOnClasspath(function.handler());

            if (present) {
                assertThat(demo.runtime().deployedFunctions()).contains(function.logicalName());
            } else {
                assertThat(demo.runtime().skippedFunctions()).containsEntry(function.logicalName(),
                        "handler class " + function.handler() + " is not on the classpath");
            }
        }
        assertThat(demo.runtime().deployedFunctions()).contains("notify", "retry", "sweeper", "status-api",
                "receiver", "reconcile");
        assertThat(output.toString()).contains("the orders example (examples/orders)")
                .contains(demo.aws().dynamoDbEndpoint().toString())
                .contains(demo.aws().sqsEndpoint().toString())
                .contains(demo.runtime().httpEndpoint(OrdersExample.RECEIVER_API).toString())
                .contains("POST /webhooks/orders")
                .contains("GET /entities/{entityId}/events")
                .contains("source table  orders  key orderId (S)  events order.paid")
                .contains("--table-name orders --item '{\"orderId\":{\"S\":\"id-1\"},\"status\":{\"S\":\"PAID\"},"
                        + "\"version\":{\"N\":\"1\"}}'")
                .contains("endpoints add http://127.0.0.1:9000/webhook --event-type order.paid --allow-private")
                .contains("receiver secret (this run only)")
                .contains("Status page: " + running.statusPage())
                .contains("Press Ctrl-C to stop.");
    }

    @Test
    void signedOrderPaidWebhook_throughTheLocalHttpApi_isAppliedByTheRealReceiver() throws Exception {
        String body = "{\"type\":\"order.paid\",\"id\":\"evt_demo1\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                + "\"data\":{\"orderId\":\"o-demo\",\"status\":\"PAID\",\"version\":3,\"amount\":1200,\"currency\":\"EUR\"}}";
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(demo.receiverSecret().substring("whsec_".length())),
                "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(
                mac.doFinal(("evt_demo1." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        URI webhook = demo.runtime().httpEndpoint(OrdersExample.RECEIVER_API).resolve("/webhooks/orders");

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(webhook)
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .header("webhook-id", "evt_demo1").header("webhook-timestamp", timestamp)
                .header("webhook-signature", "v1," + signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        Map<String, AttributeValue> order = demo.aws().dynamoDb().getItem(b -> b
                .tableName(demo.resources().tableName(OrdersExample.RECEIVER_ORDERS_TABLE))
                .key(Map.of("orderId", AttributeValue.fromS("o-demo")))).item();
        assertThat(order.get("status").s()).isEqualTo("PAID");
        assertThat(order.get("version").n()).isEqualTo("3");
    }

    @Test
    void unsignedWebhook_isRejectedByTheReceiver_notByTheRuntime() throws Exception {
        URI webhook = demo.runtime().httpEndpoint(OrdersExample.RECEIVER_API).resolve("/webhooks/orders");

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(webhook)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isBetween(400, 401);
        assertThat(response.body()).contains("webhook-signature");
    }

    private static boolean isOnClasspath(String className) {
        try {
            Class.forName(className, false, OrdersDemoIT.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
