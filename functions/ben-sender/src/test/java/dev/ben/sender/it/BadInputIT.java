package dev.ben.sender.it;

import static dev.ben.sender.testing.SenderStack.await;
import static dev.ben.sender.testing.SenderStack.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.testing.SenderStack;
import dev.ben.sender.testing.TestReceiver;
import dev.ben.sender.testing.TestReceiver.Reply;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Bad input end to end: invalid and blocked URLs, oversized payloads, records without a version, redirects, huge
 * and slow response bodies. Each ends in a clear recorded state; nothing hangs, nothing blocks the stream.
 */
@ExtendWith(LocalAwsExtension.class)
class BadInputIT {

    private final LocalAws aws;

    BadInputIT(LocalAws aws) {
        this.aws = aws;
    }

    @Test
    void badInput_endsInClearRecordedStates_andNeverBlocksTheStream() {
        String huge = "x".repeat(5 * 1024 * 1024);
        try (TestReceiver ok = TestReceiver.start((id, n) -> Reply.ok());
             TestReceiver hugeBody = TestReceiver.start((id, n) -> new Reply.Status(200, Map.of(), huge, 0));
             TestReceiver redirect = TestReceiver.start((id, n) -> new Reply.Status(302,
                     Map.of("Location", "http://169.254.169.254/latest/meta-data/"), "", 0));
             TestReceiver slow = TestReceiver.start((id, n) -> new Reply.Status(200, Map.of(), "late", 3_000))) {
            Map<String, String> env = new HashMap<>(SenderStack.testEnvironment());
            env.put("BEN_RETRY_SCHEDULE", "1s");
            try (SenderStack stack = SenderStack.start(aws, env, b -> { }, "notify", "retry")) {
                String secret = WebhookSecret.generate().encoded();
                stack.putEndpoint("ep-ok", ok.url("/h").toString(), List.of(secret), null);
                stack.putEndpoint("ep-invalid", "http://bad host/with spaces", List.of(secret), null);
                stack.putEndpoint("ep-ftp", "ftp://files.example.com/hook", List.of(secret), null);
                stack.putEndpoint("ep-huge-body", hugeBody.url("/h").toString(), List.of(secret), null);
                stack.putEndpoint("ep-redirect", redirect.url("/h").toString(), List.of(secret), null);
                stack.putEndpoint("ep-slow", slow.url("/h").toString(), List.of(secret), null);

                // a PAID order without a version (receivers could not order it): skipped with a logged reason
                aws.dynamoDb().putItem(b -> b.tableName(stack.table(SenderStack.ORDERS)).item(Map.of(
                        "orderId", AttributeValue.fromS("ord-noversion"), "status", AttributeValue.fromS("PAID"))));
                // a PAID order whose payload is too large to store for retries
                aws.dynamoDb().putItem(b -> b.tableName(stack.table(SenderStack.ORDERS)).item(Map.of(
                        "orderId", AttributeValue.fromS("ord-big"), "status", AttributeValue.fromS("PAID"),
                        "version", AttributeValue.fromN("1"), "currency", AttributeValue.fromS("E".repeat(360_000)),
                        "updatedAt", AttributeValue.fromS(Instant.now().toString()))));
                stack.payOrder("ord-ok");

                assertThat(await(Duration.ofSeconds(60), () -> {
                    var all = stack.deliveries();
                    return all.size() == 12 && all.stream().noneMatch(d ->
                            List.of("PENDING", "RETRYING").contains(s(d, "status")));
                })).as("12 deliveries, all terminal").isTrue();

                Map<String, Map<String, AttributeValue>> okOrder = stack.deliveries().stream()
                        .filter(d -> "ord-ok".equals(s(d, "entityId")))
                        .collect(Collectors.toMap(d -> s(d, "endpointId"), d -> d));
                okOrder.forEach((ep, d) -> System.out.printf("bad input: %-13s %-9s %s%n", ep, s(d, "status"),
                        s(d, "lastError")));
                assertThat(s(okOrder.get("ep-ok"), "status")).isEqualTo("DELIVERED");
                assertThat(s(okOrder.get("ep-huge-body"), "status")).isEqualTo("DELIVERED");
                assertThat(s(okOrder.get("ep-invalid"), "status")).isEqualTo("FAILED");
                assertThat(s(okOrder.get("ep-invalid"), "lastError")).contains("INVALID_URL");
                assertThat(s(okOrder.get("ep-ftp"), "lastError")).contains("INVALID_URL");
                assertThat(s(okOrder.get("ep-redirect"), "lastError")).contains("retries exhausted")
                        .contains("302").contains("redirect not followed");
                assertThat(s(okOrder.get("ep-slow"), "lastError")).contains("retries exhausted").contains("TIMEOUT");
                assertThat(redirect.received()).hasSize(2);
                assertThat(stack.deliveries()).filteredOn(d -> "ord-big".equals(s(d, "entityId"))).hasSize(6)
                        .allSatisfy(d -> {
                            assertThat(s(d, "status")).isEqualTo("FAILED");
                            assertThat(s(d, "lastError")).contains("payload is").contains("at most 350000 bytes");
                        });
                assertThat(stack.deliveries()).noneMatch(d -> "ord-noversion".equals(s(d, "entityId")));
            }
        }
    }
}
