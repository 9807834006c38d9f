package dev.ben.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.StoredDelivery;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class DeliveriesCommandIT {

    CliHarness ben;
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void setUp(LocalAws aws) {
        ben = new CliHarness(aws);
        ben.endpoint("ep_a", "http://127.0.0.1:9/a", "order.paid", "order.shipped");
        ben.endpoint("ep_b", "http://127.0.0.1:9/b", "order.paid");
    }

    @AfterEach
    void tearDown() {
        ben.close();
    }

    private static List<String> ids(JsonNode listing) {
        List<String> ids = new ArrayList<>();
        listing.get("deliveries").forEach(d -> ids.add(d.get("deliveryId").asText()));
        return ids;
    }

    @Test
    void list_filtersByEndpointStatusEventTypeAndSince_throughTheIndexes() {
        StoredDelivery aFailedOld = ben.delivery("evt_1", "ep_a", "order.paid", DeliveryStatus.FAILED,
                now.minus(3, ChronoUnit.DAYS), 3);
        StoredDelivery aFailed = ben.delivery("evt_2", "ep_a", "order.paid", DeliveryStatus.FAILED,
                now.minus(2, ChronoUnit.HOURS), 3);
        StoredDelivery aShippedFailed = ben.delivery("evt_3", "ep_a", "order.shipped", DeliveryStatus.FAILED,
                now.minus(1, ChronoUnit.HOURS), 2);
        StoredDelivery aDelivered = ben.delivery("evt_4", "ep_a", "order.paid", DeliveryStatus.DELIVERED,
                now.minus(30, ChronoUnit.MINUTES), 0);
        StoredDelivery bRetrying = ben.delivery("evt_2", "ep_b", "order.paid", DeliveryStatus.RETRYING,
                now.minus(2, ChronoUnit.HOURS), 1);
        StoredDelivery bFailed = ben.delivery("evt_5", "ep_b", "order.paid", DeliveryStatus.FAILED,
                now.minus(10, ChronoUnit.MINUTES), 4);

        var byEndpoint = ben.run("deliveries", "list", "--endpoint", "ep_a", "-o", "json");
        var failedOfA = ben.run("deliveries", "list", "--endpoint", "ep_a", "--status", "failed", "--since", "1d",
                "-o", "json");
        var shipped = ben.run("deliveries", "list", "--endpoint", "ep_a", "--event-type", "order.shipped", "-o", "json");
        var retrying = ben.run("deliveries", "list", "--status", "RETRYING", "-o", "json");
        var allFailed = ben.run("deliveries", "list", "--status", "FAILED", "-o", "json");
        var recent = ben.run("deliveries", "list", "--since", "45m", "-o", "json");

        assertThat(byEndpoint.exitCode()).as(byEndpoint.toString()).isZero();
        assertThat(ids(byEndpoint.json())).as("newest first").containsExactly(aDelivered.id(), aShippedFailed.id(),
                aFailed.id(), aFailedOld.id());
        assertThat(byEndpoint.json().get("accessPath").asText()).isEqualTo("byEndpoint");
        assertThat(ids(failedOfA.json())).containsExactly(aShippedFailed.id(), aFailed.id());
        assertThat(ids(shipped.json())).containsExactly(aShippedFailed.id());
        assertThat(ids(retrying.json())).containsExactly(bRetrying.id());
        assertThat(retrying.json().get("accessPath").asText()).isEqualTo("byDue");
        assertThat(ids(allFailed.json())).containsExactlyInAnyOrder(aFailedOld.id(), aFailed.id(),
                aShippedFailed.id(), bFailed.id());
        assertThat(ids(recent.json())).containsExactlyInAnyOrder(aDelivered.id(), bFailed.id());
        JsonNode first = failedOfA.json().get("deliveries").get(0);
        assertThat(first.get("status").asText()).isEqualTo("FAILED");
        assertThat(first.get("attempts").asInt()).isEqualTo(2);
        assertThat(first.get("lastError").asText()).contains("HTTP 503");
        assertThat(first.get("eventType").asText()).isEqualTo("order.shipped");
    }

    @Test
    void list_paginatesWithACursor_withoutGapsOrDuplicates() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            expected.add(ben.delivery("evt_p" + i, "ep_a", "order.paid", DeliveryStatus.FAILED,
                    now.minus(i, ChronoUnit.MINUTES), 1).id());
        }
        for (String endpointOrScan : List.of("--endpoint=ep_a", "--status=FAILED")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                List<String> args = new ArrayList<>(List.of("deliveries", "list", endpointOrScan, "--limit", "3",
                        "-o", "json"));
                if (cursor != null) {
                    args.add("--cursor");
                    args.add(cursor);
                }
                var page = ben.run(args.toArray(String[]::new));
                assertThat(page.exitCode()).as(page.toString()).isZero();
                assertThat(page.json().get("count").asInt()).isLessThanOrEqualTo(3);
                seen.addAll(ids(page.json()));
                cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
                pages++;
            } while (cursor != null && pages < 10);

            assertThat(seen).as(endpointOrScan).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
            if (endpointOrScan.startsWith("--endpoint")) {
                assertThat(seen).as("newest first across pages").containsExactlyElementsOf(expected);
            }
        }
        var badCursor = ben.run("deliveries", "list", "--cursor", "not-a-cursor");
        assertThat(badCursor.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badCursor.err()).contains("--cursor");
    }

    @Test
    void show_printsTheAttemptHistory() {
        StoredDelivery d = ben.delivery("evt_9", "ep_a", "order.paid", DeliveryStatus.DELIVERED, now.minusSeconds(120),
                2);

        var json = ben.run("deliveries", "show", d.id(), "-o", "json");
        var text = ben.run("deliveries", "show", d.id());

        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode history = json.json().get("attemptHistory");
        assertThat(history).hasSize(3);
        assertThat(history.get(0).get("statusCode").asInt()).isEqualTo(503);
        assertThat(history.get(0).get("error").asText()).isEqualTo("HTTP 503: busy");
        assertThat(history.get(2).get("statusCode").asInt()).isEqualTo(200);
        assertThat(history.get(2).get("error").asText()).isEmpty();
        assertThat(json.json().get("status").asText()).isEqualTo("DELIVERED");
        assertThat(json.json().get("payloadStored").asBoolean()).isTrue();
        assertThat(text.out()).contains("attempt history (3)").contains("#1").contains("503").contains("#3")
                .contains("ok");
    }

    @Test
    void badArguments_exit2_unknownDelivery_exit3_unreachableApi_exit4() {
        var badStatus = ben.run("deliveries", "list", "--status", "LOST");
        var badSince = ben.run("deliveries", "list", "--since", "yesterday-ish");
        var badLimit = ben.run("deliveries", "list", "--limit", "0");
        var unknown = ben.run("deliveries", "show", "dlv_nope");
        Map<String, String> unreachable = ben.environment();
        unreachable.put("BEN_API_URL", "http://127.0.0.1:1");
        var down = CliHarness.runWith(unreachable, "deliveries", "show", "dlv_0123456789abcdef", "-o", "json");

        assertThat(badStatus.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badStatus.err()).contains("PENDING").contains("FAILED");
        assertThat(badSince.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badSince.err()).contains("cannot read time");
        assertThat(badLimit.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("no delivery dlv_nope");
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(ExitCodes.AWS);
        assertThat(down.errorJson().get("error").asText()).contains("cannot reach the management API")
                .contains("http://127.0.0.1:1");
    }

    @Test
    void aWrongToken_exit4_withAHintAboutTheToken_andNoApi_exit2_sayingWhatToPass() {
        var wrong = ben.run("deliveries", "show", "dlv_0123456789abcdef", "--api-token", "not-the-token");
        Map<String, String> nothing = Map.of("HOME", "/nonexistent-ben-cli-test-home");
        var none = CliHarness.runWith(nothing, "deliveries", "list");

        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCodes.AWS);
        assertThat(wrong.err()).contains("refused GET").contains("401").contains("--api-token");
        assertThat(none.exitCode()).as(none.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("--api-url").contains("./ben-local");
    }

    @Test
    void stats_countsByStatus_latencyPercentiles_andTheEndpointsFailingMost() {
        ben.delivery("evt_1", "ep_a", "order.paid", DeliveryStatus.DELIVERED, now.minusSeconds(600), 0);
        ben.delivery("evt_2", "ep_a", "order.paid", DeliveryStatus.DELIVERED, now.minusSeconds(500), 1);
        ben.delivery("evt_3", "ep_a", "order.paid", DeliveryStatus.RETRYING, now.minusSeconds(400), 1);
        ben.delivery("evt_1", "ep_b", "order.paid", DeliveryStatus.FAILED, now.minusSeconds(600), 4);
        ben.delivery("evt_2", "ep_b", "order.paid", DeliveryStatus.FAILED, now.minusSeconds(500), 4);
        ben.delivery("evt_old", "ep_b", "order.paid", DeliveryStatus.FAILED, now.minus(3, ChronoUnit.DAYS), 4);

        var run = ben.run("stats", "--since", "1h", "-o", "json");
        var text = ben.run("stats", "--since", "1h");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode s = run.json();
        assertThat(s.get("delivered").asInt()).isEqualTo(2);
        assertThat(s.get("retrying").asInt()).isEqualTo(1);
        assertThat(s.get("failed").asInt()).as("the 3-day-old one is outside the window").isEqualTo(2);
        // attempts in the window: ep_a: 10ms, 20ms+10ms, 20ms; ep_b: 2 × (20, 40, 60, 80)
        assertThat(s.get("attempts").asInt()).isEqualTo(12);
        assertThat(s.get("failedAttempts").asInt()).isEqualTo(10);
        assertThat(s.get("attemptLatencyMs").get("p50").asLong()).isEqualTo(20);
        assertThat(s.get("attemptLatencyMs").get("p99").asLong()).isEqualTo(80);
        JsonNode failing = s.get("failingEndpoints");
        assertThat(failing.get(0).get("endpointId").asText()).isEqualTo("ep_b");
        assertThat(failing.get(0).get("failed").asInt()).isEqualTo(2);
        assertThat(failing.get(0).get("failedAttempts").asInt()).isEqualTo(8);
        assertThat(failing.get(0).get("lastError").asText()).contains("retries exhausted");
        assertThat(failing.get(1).get("endpointId").asText()).isEqualTo("ep_a");
        assertThat(failing.get(1).get("retrying").asInt()).isEqualTo(1);
        assertThat(text.out()).contains("delivered 2, retrying 1, failed 2").contains("p50 20 ms, p99 80 ms")
                .contains("ep_b");
    }
}
