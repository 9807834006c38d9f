package dev.ben.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.model.DeliveryStatus;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dead-letter queue over the API: inspected without being consumed, redriven through the retry function. */
@ExtendWith(LocalAwsExtension.class)
class DeadLettersApiIT {

    private final LocalAws aws;
    private ApiStack stack;
    private ApiClient api;
    private TestDeliveries arranged;
    private Receiver receiver;

    DeadLettersApiIT(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        stack = ApiStack.start(aws);
        api = new ApiClient(stack.baseUri(), ApiStack.TOKEN);
        arranged = new TestDeliveries(stack);
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
        stack.close();
    }

    private void deadLetter(String body) {
        aws.sqs().sendMessage(b -> b.queueUrl(stack.resources.queueUrl(BenSettings.RETRY_DLQ)).messageBody(body));
    }

    @Test
    void inspect_showsTheMessages_andLeavesThemInTheQueue() {
        StoredDelivery failed = arranged.failed("t-dlq", "ep_dlq", "a", Instant.now().minusSeconds(5));
        deadLetter("{\"deliveryId\":\"" + failed.id() + "\",\"endpointId\":\"ep_dlq\",\"reason\":\"retries exhausted\"}");
        deadLetter("not a delivery at all");

        var first = api.get("/v1/dlq?max=10");
        var second = api.get("/v1/dlq?max=10");

        assertThat(first.json().get("messages")).hasSize(2);
        assertThat(first.json().get("approximateDepth").asInt()).isEqualTo(2);
        assertThat(first.json().get("messages").findValuesAsText("deliveryId")).contains(failed.id());
        assertThat(first.json().get("messages").findValuesAsText("reason")).contains("retries exhausted");
        assertThat(second.json().get("messages")).hasSize(2);
    }

    @Test
    void redrive_replaysFailedDeliveries_dropsDeliveredOnes_andKeepsWhatItCannotHandle() {
        api.post("/v1/tenants/t-dlq/endpoints", "{\"endpointId\":\"ep_dlq\",\"url\":\"" + receiver.url("/dlq")
                + "\",\"eventTypes\":[\"a\"]}");
        StoredDelivery failed = arranged.failed("t-dlq", "ep_dlq", "a", Instant.now().minusSeconds(5));
        StoredDelivery delivered = arranged.terminal(DeliveryStatus.DELIVERED, "t-dlq", "ep_dlq", "a",
                Instant.now().minusSeconds(5));
        deadLetter("{\"deliveryId\":\"" + failed.id() + "\",\"reason\":\"retries exhausted\"}");
        deadLetter("{\"deliveryId\":\"" + delivered.id() + "\",\"reason\":\"retries exhausted\"}");
        deadLetter("garbage");

        var dryRun = api.post("/v1/dlq/redrive", "{\"dryRun\":true}");
        var redriven = api.post("/v1/dlq/redrive", "{\"limit\":10}");
        awaitDelivered(failed.id());
        var left = api.get("/v1/dlq");

        assertThat(dryRun.json().get("processed").asInt()).isEqualTo(3);
        assertThat(dryRun.json().get("keptInQueue").asInt()).isZero();
        assertThat(redriven.json().get("processed").asInt()).isEqualTo(3);
        assertThat(redriven.json().get("redriven").asInt()).isEqualTo(1);
        assertThat(redriven.json().get("keptInQueue").asInt()).isEqualTo(1);
        assertThat(redriven.json().get("results").findValuesAsText("outcome"))
                .containsExactlyInAnyOrder("REPLAYED", "ALREADY_DELIVERED", "UNRECOGNISED");
        assertThat(left.json().get("messages")).hasSize(1);
        assertThat(left.json().get("messages").get(0).get("body").asText()).isEqualTo("garbage");
        assertThat(receiver.received()).extracting(r -> r.header("webhook-id"))
                .containsExactly(failed.delivery().eventId());
    }

    private void awaitDelivered(String deliveryId) {
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        while (arranged.store().find(deliveryId).orElseThrow().delivery().status() != DeliveryStatus.DELIVERED) {
            assertThat(Instant.now()).as("delivery " + deliveryId + " DELIVERED in time").isBefore(end);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
