package dev.ben.sender.it;

import static dev.ben.sender.testing.SenderStack.await;
import static dev.ben.sender.testing.SenderStack.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.retry.RetrySchedule;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.testing.NpmVerifier;
import dev.ben.sender.testing.SenderStack;
import dev.ben.sender.testing.SpecVerifier;
import dev.ben.sender.testing.TestReceiver;
import dev.ben.sender.testing.TestReceiver.Reply;
import dev.ben.sender.testing.WebhookSchema;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The sender end to end on the local stack and runtime, with a real HTTP receiver. */
@ExtendWith(LocalAwsExtension.class)
class NotifyEndToEndIT {

    private final LocalAws aws;
    private SenderStack stack;
    private TestReceiver receiver;

    NotifyEndToEndIT(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        stack = SenderStack.start(aws, SenderStack.testEnvironment(), b -> { });
    }

    @AfterEach
    void stop() {
        stack.close();
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void payingAnOrder_sendsExactlyOneCorrectlySignedPost() throws Exception {
        receiver = TestReceiver.start((id, before) -> Reply.ok());
        String secret = WebhookSecret.generate().encoded();
        stack.putEndpoint("ep-1", receiver.url("/hooks").toString(), List.of(secret), null);

        stack.payOrder("ord-1");

        assertThat(await(Duration.ofSeconds(20), () -> delivered(1))).as("delivered").isTrue();
        Thread.sleep(1500); // nothing else may arrive: no duplicate from the INSERT or a redelivered batch
        assertThat(receiver.received()).hasSize(1);
        var post = receiver.received().getFirst();
        assertThat(WebhookSchema.errors(post)).as("body and headers as ben-webhook.schema.json describes them: %s",
                post.headers()).isEmpty();
        Map<String, String> badSignature = new HashMap<>(post.headers());
        badSignature.put("webhook-signature", "v1," + post.signature().substring(3, 20));
        assertThat(WebhookSchema.errors(WebhookSchema.document(badSignature, post.body()))).as("a cut signature")
                .isNotEmpty();
        assertThat(WebhookSchema.errors(WebhookSchema.document(post.headers(),
                post.body().replace("\"entityId\"", "\"entity\"")))).as("a renamed member").isNotEmpty();
        assertThat(SpecVerifier.verifies(secret, post.webhookId(), post.timestamp(), post.body(), post.signature()))
                .as("signature verified by an independent Standard Webhooks implementation").isTrue();
        assertThat(SpecVerifier.verifies(WebhookSecret.generate().encoded(), post.webhookId(), post.timestamp(),
                post.body(), post.signature())).as("a wrong secret does not verify").isFalse();
        assertThat(NpmVerifier.verify(secret, post.webhookId(), post.timestamp(), post.body(), post.signature()))
                .as("verified by the standardwebhooks npm package").isEqualTo("ok");
        assertThat(NpmVerifier.verify(secret, post.webhookId(), post.timestamp(), post.body() + " ", post.signature()))
                .as("npm package rejects a tampered body").startsWith("error");
        assertThat(post.webhookId()).startsWith("evt_");
        assertThat(post.body()).isEqualTo("{\"type\":\"order.paid\",\"id\":\"" + post.webhookId()
                + "\",\"timestamp\":\"" + bodyTimestamp(post.body()) + "\",\"entityId\":\"ord-1\",\"version\":2,"
                + "\"sequence\":\"" + bodySequence(post.body()) + "\",\"data\":{\"orderId\":\"ord-1\","
                + "\"status\":\"PAID\",\"version\":2,\"amount\":4999,\"currency\":\"EUR\"}}");
        var delivery = stack.deliveries().getFirst();
        assertThat(s(delivery, "eventId")).isEqualTo(post.webhookId());
        assertThat(s(delivery, "attempts")).isEqualTo("1");
        assertThat(delivery).doesNotContainKey("nextAttemptAt");
        assertThat(stack.attempts(s(delivery, "deliveryId"))).hasSize(1);
        assertThat(stack.queueDepth(BenSettings.RETRY_QUEUE)).isZero();
    }

    @Test
    void statusApi_overRealHttp_reportsTheEntitysEventsAndDeliveries_andRefusesBadRequests() throws Exception {
        receiver = TestReceiver.start((id, before) -> Reply.ok());
        stack.putEndpoint("ep-1", receiver.url("/hooks").toString(), List.of(WebhookSecret.generate().encoded()), null);
        stack.payOrder("ord-status");
        assertThat(await(Duration.ofSeconds(20), () -> delivered(1))).isTrue();
        var api = stack.runtime.httpEndpoint(BenSettings.SENDER_API);
        var http = java.net.http.HttpClient.newHttpClient();
        java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> get = (path, token) -> {
            var b = java.net.http.HttpRequest.newBuilder(api.resolve(path)).GET();
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            try {
                return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        var events = get.apply("/entities/ord-status/events", "test-token");

        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.body()).startsWith("{\"entityId\":\"ord-status\",\"events\":[{\"eventId\":\"evt_")
                .contains("\"type\":\"order.paid\",\"entityId\":\"ord-status\",\"version\":2,")
                .contains("\"payload\":{\"type\":\"order.paid\"")
                .contains("\"endpointId\":\"ep-1\",\"status\":\"DELIVERED\",\"attempts\":1");
        String deliveryId = s(stack.deliveries().getFirst(), "deliveryId");
        String eventId = s(stack.deliveries().getFirst(), "eventId");
        var event = get.apply("/events/" + eventId, "test-token");
        assertThat(event.statusCode()).isEqualTo(200);
        assertThat(event.body()).contains("\"source\":\"orders\"").contains("\"deliveryId\":\"" + deliveryId);
        var delivery = get.apply("/deliveries/" + deliveryId, "test-token");
        assertThat(delivery.statusCode()).isEqualTo(200);
        assertThat(delivery.body()).contains("\"history\":[{\"attempt\":1,");
        assertThat(get.apply("/entities/ord-status/events", null).statusCode()).isEqualTo(401);
        assertThat(get.apply("/entities/ord-status/events", "wrong").statusCode()).isEqualTo(401);
        assertThat(get.apply("/entities/nope-404/events", "test-token").statusCode()).isEqualTo(404);
        assertThat(get.apply("/entities/ord-status/events?tenant=someone", "test-token").statusCode())
                .as("a tenant-less entity is invisible in a tenant's scope").isEqualTo(404);
        assertThat(get.apply("/entities/bad%C3id/events", "test-token").statusCode()).isEqualTo(400);
        assertThat(get.apply("/deliveries/not-a-delivery", "test-token").statusCode()).isEqualTo(400);
    }

    @Test
    void receiverFailingThreeTimes_isServedOnTheFourthAttempt_withGapsFollowingTheSchedule() {
        receiver = TestReceiver.start((id, before) -> before < 3 ? Reply.status(503) : Reply.ok());
        RetrySchedule schedule = RetrySchedule.parse("1s,2s,3s");
        stack.putEndpoint("ep-1", receiver.url("/hooks").toString(),
                List.of(WebhookSecret.generate().encoded()), schedule);

        stack.payOrder("ord-2");

        assertThat(await(Duration.ofSeconds(40), () -> delivered(1))).as("delivered").isTrue();
        var posts = receiver.received();
        assertThat(posts).hasSize(4);
        assertThat(posts).extracting(TestReceiver.Received::webhookId).containsOnly(posts.getFirst().webhookId());
        for (int i = 1; i < posts.size(); i++) {
            Duration gap = Duration.between(posts.get(i - 1).at(), posts.get(i).at());
            Duration planned = schedule.delays().get(i - 1);
            System.out.printf("gap %d: planned %s, observed %d ms%n", i, planned, gap.toMillis());
            assertThat(gap).as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo(planned.minusMillis(100))
                    .isLessThan(planned.plusSeconds(3));
        }
        var delivery = stack.deliveries().getFirst();
        assertThat(s(delivery, "status")).isEqualTo("DELIVERED");
        assertThat(s(delivery, "attempts")).isEqualTo("4");
        assertThat(stack.attempts(s(delivery, "deliveryId"))).extracting(a -> s(a, "statusCode"))
                .containsExactly("503", "503", "503", "200");
    }

    @Test
    void receiverAnswering410_disablesTheEndpoint_andFailsTheDelivery() {
        receiver = TestReceiver.start((id, before) -> Reply.status(410));
        stack.putEndpoint("ep-gone", receiver.url("/hooks").toString(), List.of(WebhookSecret.generate().encoded()),
                null);

        stack.payOrder("ord-3");

        assertThat(await(Duration.ofSeconds(20), () -> stack.deliveries().stream()
                .anyMatch(d -> "FAILED".equals(s(d, "status"))))).isTrue();
        var delivery = stack.deliveries().getFirst();
        assertThat(s(delivery, "lastError")).contains("410");
        var endpoint = aws.dynamoDb().getItem(b -> b.tableName(stack.table(BenSettings.ENDPOINTS_TABLE))
                .key(Map.of("endpointId", AttributeValue.fromS("ep-gone")))).item();
        assertThat(endpoint.get("enabled").bool()).isFalse();
        assertThat(s(endpoint, "disabledReason")).contains("410");
        assertThat(await(Duration.ofSeconds(5), () -> !stack.drainDeadLetters().isEmpty())).as("DLQ copy").isTrue();
        assertThat(receiver.received()).hasSize(1);
    }

    private boolean delivered(int n) {
        return stack.deliveries().stream().filter(d -> "DELIVERED".equals(s(d, "status"))).count() == n;
    }

    private static String bodySequence(String body) {
        var m = java.util.regex.Pattern.compile("\"sequence\":\"(\\d+)\"").matcher(body);
        assertThat(m.find()).as("sequence in " + body).isTrue();
        return m.group(1);
    }

    private static String bodyTimestamp(String body) {
        var m = java.util.regex.Pattern.compile("\"timestamp\":\"([^\"]+)\"").matcher(body);
        return m.find() ? m.group(1) : "";
    }
}
