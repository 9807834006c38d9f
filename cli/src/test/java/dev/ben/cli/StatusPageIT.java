package dev.ben.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.cli.statuspage.StatusPageServer;
import dev.ben.core.model.Attempt;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Tenant;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
import dev.ben.sender.internal.aws.DynamoDbTenantStore;
import dev.ben.settings.BenSettings;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class StatusPageIT {

    CliHarness ben;
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void setUp(LocalAws aws) {
        ben = new CliHarness(aws);
    }

    @AfterEach
    void tearDown() {
        ben.close();
    }

    private static Path chromium() {
        var binary = Chromium.binary();
        assumeTrue(binary.isPresent(), "chromium is not installed (apt-get install -y chromium, or run "
                + "cli/install-chromium.sh; BEN_CHROMIUM=/path overrides): the status page browser tests are skipped");
        return binary.get();
    }

    private static String row(String dom, String deliveryId) {
        Matcher m = Pattern.compile("<tr data-delivery-id=\"" + Pattern.quote(deliveryId) + "\".*?</tr>",
                Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("row of " + deliveryId + " in\n" + dom).isTrue();
        return m.group();
    }

    @Test
    void page_rendersDeliveriesWithTheirStates_retryTimelines_andEndpointHealth_inHeadlessChromium() throws Exception {
        Path chromium = chromium();
        ben.endpoint("ep_good", "http://127.0.0.1:9/good", "order.paid");
        ben.endpoint("ep_flaky", "http://127.0.0.1:9/flaky", "order.paid");
        ben.endpoint("ep_gone", "http://127.0.0.1:9/gone", "order.paid");
        ben.endpoints.markFailing("ep_flaky", now.minusSeconds(300));
        ben.endpoints.disable("ep_gone", "HTTP 410 Gone: endpoint ep_gone disabled", now);
        StoredDelivery delivered = ben.delivery("evt_1", "ep_good", "order.paid", DeliveryStatus.DELIVERED,
                now.minusSeconds(60), 0);
        StoredDelivery retrying = ben.delivery("evt_1", "ep_flaky", "order.paid", DeliveryStatus.RETRYING,
                now.minusSeconds(50), 2);
        StoredDelivery failed = ben.delivery("evt_1", "ep_gone", "order.paid", DeliveryStatus.FAILED,
                now.minusSeconds(40), 3);
        StoredDelivery pending = ben.delivery("evt_2", "ep_good", "order.paid", DeliveryStatus.PENDING,
                now.minusSeconds(1), 0);
        // an error text from a receiver must be shown as text, never as markup
        ben.attempts.record(new Attempt(failed.id(), 4, now, 500, Duration.ofMillis(7),
                "HTTP 500: <img src=x onerror=alert(1)>"));

        try (StatusPageServer page = StatusPageServer.start(ben.environment(), 0)) {
            String dom = Chromium.dumpDom(chromium, page.uri());

            assertThat(row(dom, delivered.id())).contains("data-status=\"DELIVERED\"")
                    .contains("<span class=\"attempt ok\" title=").contains("#1 200");
            String retryingRow = row(dom, retrying.id());
            assertThat(retryingRow).contains("data-status=\"RETRYING\"").contains("#1 503").contains("#2 503")
                    .contains("class=\"next\"").contains("HTTP 503: busy");
            assertThat(retryingRow.split("class=\"attempt fail\"", -1)).hasSize(3);
            String failedRow = row(dom, failed.id());
            assertThat(failedRow).contains("data-status=\"FAILED\"").contains("#3 503").contains("#4 500")
                    .contains("retries exhausted after 3 attempts");
            assertThat(failedRow).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img");
            assertThat(row(dom, pending.id())).contains("data-status=\"PENDING\"");
            assertThat(dom).contains("data-endpoint-id=\"ep_good\" data-health=\"healthy\"")
                    .contains("data-endpoint-id=\"ep_flaky\" data-health=\"failing\"")
                    .contains("data-endpoint-id=\"ep_gone\" data-health=\"disabled\"")
                    .contains("HTTP 410 Gone");
            Matcher count = Pattern.compile("data-status=\"FAILED\"><b>(\\d+)</b>").matcher(dom);
            assertThat(count.find()).as(dom).isTrue();
            assertThat(count.group(1)).isEqualTo("1");
            assertThat(dom).contains("4 deliveries");
        }
    }

    @Test
    void page_followsADeliveryThroughItsStates_byPollingTheJsonEndpoint() throws Exception {
        Path chromium = chromium();
        ben.endpoint("ep_flaky", "http://127.0.0.1:9/flaky", "order.paid");
        StoredDelivery d = ben.delivery("evt_live", "ep_flaky", "order.paid", DeliveryStatus.PENDING, now, 0);

        try (StatusPageServer server = StatusPageServer.start(ben.environment(), 0);
             Chromium.Page page = Chromium.Page.open(chromium, server.uri())) {
            String status = "(document.querySelector('tr[data-delivery-id=\"" + d.id()
                    + "\"]') || {getAttribute: function () { return 'absent'; }}).getAttribute('data-status')";
            String attempts = "String(document.querySelectorAll('tr[data-delivery-id=\"" + d.id()
                    + "\"] .attempt').length)";
            assertThat(page.await(status, "PENDING", Duration.ofSeconds(30))).isEqualTo("PENDING");

            // attempt 1 fails: RETRYING, as the notify function would record it
            Instant t1 = Instant.now();
            ben.attempts.record(new Attempt(d.id(), 1, t1, 503, Duration.ofMillis(12), "HTTP 503: busy"));
            var retrying = d.delivery().withStatus(DeliveryStatus.RETRYING, 1, t1.plusSeconds(15), 503,
                    "HTTP 503: busy", t1);
            assertThat(ben.deliveries.transition(d, retrying, "tok1")).isTrue();

            assertThat(page.await(status, "RETRYING", Duration.ofSeconds(30))).isEqualTo("RETRYING");
            assertThat(page.await(attempts, "1", Duration.ofSeconds(10))).isEqualTo("1");

            // attempt 2 succeeds: DELIVERED
            Instant t2 = Instant.now();
            ben.attempts.record(new Attempt(d.id(), 2, t2, 200, Duration.ofMillis(9), ""));
            StoredDelivery stored = ben.deliveries.find(d.id()).orElseThrow();
            assertThat(ben.deliveries.transition(stored, retrying.withStatus(DeliveryStatus.DELIVERED, 2, null, 200,
                    "", t2), "")).isTrue();

            assertThat(page.await(status, "DELIVERED", Duration.ofSeconds(30))).isEqualTo("DELIVERED");
            assertThat(page.await(attempts, "2", Duration.ofSeconds(10))).isEqualTo("2");
            assertThat(page.evaluate("document.querySelector('#counts [data-status=\"DELIVERED\"] b').textContent"))
                    .isEqualTo("1");
        }
    }

    @Test
    void page_showsTenants_andFiltersByTenant() throws Exception {
        Path chromium = chromium();
        aws_endpoint("ep_a", "tenant-a");
        aws_endpoint("ep_b", "tenant-b");
        StoredDelivery a = ben.delivery("evt_ta", "ep_a", "invoice.Settled", DeliveryStatus.DELIVERED, now, 0,
                "tenant-a");
        StoredDelivery b = ben.delivery("evt_tb", "ep_b", "invoice.Settled", DeliveryStatus.FAILED, now, 1,
                "tenant-b");

        try (StatusPageServer page = StatusPageServer.start(ben.environment(), 0)) {
            String all = Chromium.dumpDom(chromium, page.uri());
            String onlyA = Chromium.dumpDom(chromium, page.uri().resolve("/?tenant=tenant-a"));

            assertThat(row(all, a.id())).contains("data-tenant=\"tenant-a\"").contains(">tenant-a<");
            assertThat(row(all, b.id())).contains("data-tenant=\"tenant-b\"");
            assertThat(all).contains("<option value=\"tenant-a\">tenant-a</option>")
                    .contains("<option value=\"tenant-b\">tenant-b</option>");
            assertThat(row(onlyA, a.id())).contains("DELIVERED");
            assertThat(onlyA).doesNotContain(b.id()).doesNotContain("data-endpoint-id=\"ep_b\"")
                    .contains("data-endpoint-id=\"ep_a\"").contains("1 deliveries");
        }
    }

    /** An endpoint of a registered tenant (the page lists the scopes of the tenants the API lists). */
    private void aws_endpoint(String id, String tenant) {
        Endpoint e = Endpoint.of(id, "http://127.0.0.1:9/" + id, Set.of("*"),
                List.of(WebhookSecret.generate().encoded())).withTenant(tenant);
        ben.aws.dynamoDb().putItem(r -> r.tableName(ben.resources.tableName(BenSettings.ENDPOINTS_TABLE))
                .item(DynamoDbEndpointStore.toItem(e)));
        ben.aws.dynamoDb().putItem(r -> r.tableName(ben.resources.tableName(BenSettings.TENANTS_TABLE))
                .item(DynamoDbTenantStore.toItem(new Tenant(tenant, List.of(), List.of(WebhookSecret.generate()
                        .encoded())))));
    }

    @Test
    void jsonEndpoints_serveTheSnapshotAndOneDeliveryWithItsTimeline_404ForUnknown() throws Exception {
        ben.endpoint("ep_a", "http://127.0.0.1:9/a", "order.paid");
        StoredDelivery d = ben.delivery("evt_j", "ep_a", "order.paid", DeliveryStatus.FAILED, now, 2);
        HttpClient http = HttpClient.newHttpClient();

        try (StatusPageServer server = StatusPageServer.start(ben.environment(), 0)) {
            var snapshot = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/snapshot")).build(),
                    HttpResponse.BodyHandlers.ofString());
            var one = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/deliveries/" + d.id())).build(),
                    HttpResponse.BodyHandlers.ofString());
            var missing = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/deliveries/dlv_x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            var post = http.send(HttpRequest.newBuilder(server.uri()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(snapshot.statusCode()).isEqualTo(200);
            JsonNode s = CliHarness.JSON.readTree(snapshot.body());
            assertThat(s.get("counts").get("FAILED").asInt()).isEqualTo(1);
            assertThat(s.get("deliveries").get(0).get("timeline")).hasSize(2);
            assertThat(s.get("endpoints").get(0).get("health").asText()).isEqualTo("healthy");
            assertThat(s.get("endpoints").get(0).get("circuit").asText()).isEqualTo("CLOSED");
            assertThat(s.get("endpoints").get(0).has("secrets")).as("no secrets on the page").isFalse();
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(CliHarness.JSON.readTree(one.body()).get("timeline")).hasSize(2);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
        }
    }
}
