package dev.ben.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.webhooks.WebhookVerifier;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.sender.internal.Telemetry;
import dev.ben.sender.internal.aws.DynamoDbDeliveryStore;
import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
import dev.ben.settings.BenSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Test events, deliveries, replay and recovery, delivered by the real retry function to real receivers. */
@ExtendWith(LocalAwsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveriesApiIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final LocalAws aws;
    private ApiStack stack;
    private ApiClient api;
    private DynamoDbDeliveryStore deliveries;
    private TestDeliveries arranged;

    DeliveriesApiIT(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeAll
    void start() {
        stack = ApiStack.start(aws);
        api = new ApiClient(stack.baseUri(), ApiStack.TOKEN);
        arranged = new TestDeliveries(stack);
        deliveries = arranged.store();
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    private String endpoint(String tenant, String id, Receiver receiver, String extra) {
        var created = api.post("/v1/tenants/" + tenant + "/endpoints", "{\"endpointId\":\"" + id + "\",\"url\":\""
                + receiver.url("/" + id) + "\",\"eventTypes\":[\"invoice.settled\"]" + extra + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("secret").asText();
    }

    private static void await(BooleanSupplier condition, String what) {
        Instant end = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private JsonNode delivery(String tenant, String id) {
        return api.get("/v1/tenants/" + tenant + "/deliveries/" + id).json();
    }

    @Test
    void aTestEvent_goesThroughTheRealDeliveryPath_signedWithTheCustomHeaders() {
        try (Receiver receiver = new Receiver()) {
            String secret = endpoint("t-test", "ep_test", receiver,
                    ",\"headers\":{\"X-Partner\":\"acme\",\"Authorization\":\"Bearer receiver-token\"}");

            var sent = api.post("/v1/tenants/t-test/endpoints/ep_test/test", null);
            String id = sent.json().get("deliveryId").asText();
            await(() -> !receiver.received().isEmpty(), "the test event at the receiver");
            await(() -> delivery("t-test", id).path("delivery").path("status").asText().equals("DELIVERED"),
                    "the delivery DELIVERED");

            Receiver.Request got = receiver.received().getFirst();
            assertThat(sent.status()).isEqualTo(202);
            assertThat(sent.json().get("eventType").asText()).isEqualTo("ben.test");
            assertThat(got.header("x-partner")).isEqualTo("acme");
            assertThat(got.header("authorization")).isEqualTo("Bearer receiver-token");
            assertThat(got.header("webhook-id")).isEqualTo(sent.json().get("eventId").asText());
            assertThat(got.header("content-type")).isEqualTo("application/json");
            assertThat(got.body()).contains("\"type\":\"ben.test\"");
            assertThat(verifier(secret).verify(flat(got), got.body()).verified()).isTrue();
            JsonNode detail = delivery("t-test", id);
            assertThat(detail.get("attemptHistory")).hasSize(1);
            assertThat(detail.get("attemptHistory").get(0).get("statusCode").asInt()).isEqualTo(200);
        }
    }

    @Test
    void customHeadersWrittenAroundTheApi_canNeverReplaceBensHeaders() {
        try (Receiver receiver = new Receiver()) {
            String secret = endpoint("t-forge", "ep_forge", receiver, "");
            // a row written directly, past the API's checks: the sender still drops what it sets itself
            var store = new DynamoDbEndpointStore(aws.dynamoDb(), stack.table(BenSettings.ENDPOINTS_TABLE),
                    Clock.systemUTC(), Duration.ZERO, Telemetry.silent());
            Endpoint forged = store.find("ep_forge").orElseThrow().withHeaders(Map.of("webhook-id", "forged",
                    "Webhook-Signature", "v1,forged", "Content-Type", "text/plain", "X-Ok", "yes"));
            aws.dynamoDb().putItem(b -> b.tableName(stack.table(BenSettings.ENDPOINTS_TABLE))
                    .item(DynamoDbEndpointStore.toItem(forged)));

            var sent = api.post("/v1/tenants/t-forge/endpoints/ep_forge/test", null);
            await(() -> !receiver.received().isEmpty(), "the test event at the receiver");

            Receiver.Request got = receiver.received().getFirst();
            assertThat(got.headers().get("webhook-id")).containsExactly(sent.json().get("eventId").asText());
            assertThat(got.headers().get("content-type")).containsExactly("application/json");
            assertThat(got.headers().get("webhook-signature")).noneMatch(s -> s.contains("forged"));
            assertThat(got.header("x-ok")).isEqualTo("yes");
            assertThat(verifier(secret).verify(flat(got), got.body()).verified()).isTrue();
        }
    }

    @Test
    void list_filtersByEndpointStatusEventTypeAndSince_withinTheTenant() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        failed("t-list", "ep_l1", "invoice.settled", now.minus(Duration.ofMinutes(5)));
        failed("t-list", "ep_l1", "invoice.voided", now.minus(Duration.ofMinutes(4)));
        failed("t-list", "ep_l2", "invoice.settled", now.minus(Duration.ofHours(3)));
        failed("t-list-other", "ep_l3", "invoice.settled", now.minus(Duration.ofMinutes(1)));

        var byEndpoint = api.get("/v1/tenants/t-list/deliveries?endpointId=ep_l1");
        var byType = api.get("/v1/tenants/t-list/deliveries?eventType=invoice.voided");
        var recent = api.get("/v1/tenants/t-list/deliveries?since=1h&status=FAILED");
        var paged = api.get("/v1/tenants/t-list/deliveries?endpointId=ep_l1&limit=1");
        var next = api.get("/v1/tenants/t-list/deliveries?endpointId=ep_l1&limit=1&cursor="
                + paged.json().get("nextCursor").asText());
        var badStatus = api.invalid("GET", "/v1/tenants/t-list/deliveries?status=LOST", null);

        assertThat(ids(byEndpoint)).hasSize(2);
        assertThat(ids(byType)).hasSize(1);
        assertThat(ids(recent)).hasSize(2);
        assertThat(ids(paged)).hasSize(1);
        assertThat(ids(next)).hasSize(1).doesNotContainAnyElementsOf(ids(paged));
        assertThat(byEndpoint.json().get("items")).allSatisfy(d ->
                assertThat(d.get("tenantId").asText()).isEqualTo("t-list"));
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.json().path("error").path("field").asText()).isEqualTo("status");
    }

    @Test
    void replay_sendsAFailedDeliveryAgainUnderTheSameWebhookId() {
        try (Receiver receiver = new Receiver()) {
            endpoint("t-replay", "ep_replay", receiver, "");
            StoredDelivery d = failed("t-replay", "ep_replay", "invoice.settled", Instant.now().minusSeconds(60));

            var replayed = api.post("/v1/tenants/t-replay/deliveries/" + d.id() + "/replay", null);
            await(() -> !receiver.received().isEmpty(), "the replay at the receiver");
            await(() -> delivery("t-replay", d.id()).path("delivery").path("status").asText().equals("DELIVERED"),
                    "the replayed delivery DELIVERED");

            assertThat(replayed.status()).isEqualTo(202);
            assertThat(replayed.json().get("outcome").asText()).isEqualTo("REPLAYED");
            assertThat(replayed.json().get("previousStatus").asText()).isEqualTo("FAILED");
            assertThat(receiver.received().getFirst().header("webhook-id")).isEqualTo(d.delivery().eventId());
        }
    }

    @Test
    void anotherTenantsDelivery_isNotFound_andIsNotReplayed() {
        StoredDelivery d = failed("t-mine", "ep_mine", "invoice.settled", Instant.now().minusSeconds(30));

        var read = api.get("/v1/tenants/t-theirs/deliveries/" + d.id());
        var replay = api.post("/v1/tenants/t-theirs/deliveries/" + d.id() + "/replay", null);
        var listed = api.get("/v1/tenants/t-theirs/deliveries?endpointId=ep_mine");

        assertThat(read.status()).isEqualTo(404);
        assertThat(replay.status()).isEqualTo(404);
        assertThat(ids(listed)).isEmpty();
        assertThat(deliveries.find(d.id()).orElseThrow().delivery().status()).isEqualTo(DeliveryStatus.FAILED);
    }

    @Test
    void recover_replaysAWindowInBoundedResumableBatches() {
        try (Receiver receiver = new Receiver()) {
            endpoint("t-recover", "ep_recover", receiver, "");
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Set<String> inWindow = new HashSet<>();
            for (int i = 1; i <= 5; i++) {
                inWindow.add(failed("t-recover", "ep_recover", "invoice.settled", now.minusSeconds(60L * i)).id());
            }
            StoredDelivery tooOld = failed("t-recover", "ep_recover", "invoice.settled", now.minus(Duration.ofDays(2)));

            int replayed = 0;
            int calls = 0;
            String cursor = null;
            boolean done = false;
            while (!done && calls < 10) {
                var batch = api.post("/v1/tenants/t-recover/endpoints/ep_recover/recover", "{\"since\":\"1h\","
                        + "\"limit\":2" + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\"") + "}");
                assertThat(batch.status()).as(batch.body()).isEqualTo(200);
                assertThat(batch.json().get("scanned").asInt()).isLessThanOrEqualTo(2);
                replayed += batch.json().get("replayed").asInt();
                done = batch.json().get("done").asBoolean();
                cursor = batch.json().get("cursor").isNull() ? null : batch.json().get("cursor").asText();
                calls++;
            }
            await(() -> receiver.received().size() >= 5, "five replays at the receiver");

            assertThat(replayed).isEqualTo(5);
            assertThat(calls).isGreaterThanOrEqualTo(3);
            assertThat(receiver.received()).extracting(r -> r.header("webhook-id")).hasSize(5);
            assertThat(deliveries.find(tooOld.id()).orElseThrow().delivery().status())
                    .isEqualTo(DeliveryStatus.FAILED);
            assertThat(inWindow).allSatisfy(id -> assertThat(deliveries.find(id).orElseThrow().delivery().status())
                    .isNotEqualTo(DeliveryStatus.FAILED));
        }
    }

    @Test
    void recover_refusesADisabledEndpoint_andBadWindows() {
        try (Receiver receiver = new Receiver()) {
            endpoint("t-recover-no", "ep_recover_no", receiver, "");
            StoredDelivery d = failed("t-recover-no", "ep_recover_no", "invoice.settled", Instant.now().minusSeconds(5));
            String path = "/v1/tenants/t-recover-no/endpoints/ep_recover_no";

            var badSince = api.post(path + "/recover", "{\"since\":\"yesterday-ish\"}");
            var backwards = api.post(path + "/recover", "{\"since\":\"1h\",\"until\":\"2h\"}");
            api.post(path + "/disable", "{\"reason\":\"down\"}");
            var disabled = api.post(path + "/recover", "{\"since\":\"1h\"}");

            assertThat(badSince.status()).isEqualTo(400);
            assertThat(badSince.json().path("error").path("field").asText()).isEqualTo("since");
            assertThat(backwards.status()).isEqualTo(400);
            assertThat(disabled.status()).isEqualTo(409);
            assertThat(deliveries.find(d.id()).orElseThrow().delivery().status()).isEqualTo(DeliveryStatus.FAILED);
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void stats_countOneTenantsDeliveries_orTheWholeStacks() {
        failed("t-stats", "ep_stats", "invoice.settled", Instant.now().minusSeconds(10));
        failed("t-stats", "ep_stats", "invoice.settled", Instant.now().minusSeconds(20));
        failed("t-stats-other", "ep_stats_other", "invoice.settled", Instant.now().minusSeconds(20));

        var tenant = api.get("/v1/tenants/t-stats/stats?since=1h");
        var all = api.get("/v1/stats?since=1h");

        assertThat(tenant.json().get("tenantId").asText()).isEqualTo("t-stats");
        assertThat(tenant.json().get("failed").asInt()).isEqualTo(2);
        assertThat(tenant.json().get("failingEndpoints").get(0).get("endpointId").asText()).isEqualTo("ep_stats");
        assertThat(all.json().get("failed").asInt()).isGreaterThanOrEqualTo(3);
    }

    private StoredDelivery failed(String tenant, String endpointId, String type, Instant createdAt) {
        return arranged.failed(tenant, endpointId, type, createdAt);
    }

    private static List<String> ids(ApiClient.Reply page) {
        return page.json().get("items").valueStream().map(d -> d.get("deliveryId").asText()).toList();
    }

    private static WebhookVerifier verifier(String secret) {
        return WebhookVerifier.builder().secrets(secret).build();
    }

    private static Map<String, String> flat(Receiver.Request request) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((k, v) -> headers.put(k, v.getFirst()));
        return headers;
    }
}
