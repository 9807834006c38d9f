package dev.ben.sender.internal;

import static dev.ben.sender.internal.EventMapperTest.bool;
import static dev.ben.sender.internal.EventMapperTest.invoice;
import static dev.ben.sender.internal.EventMapperTest.n;
import static dev.ben.sender.internal.EventMapperTest.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import dev.ben.core.http.HttpOutcome;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.EventIds;
import dev.ben.core.model.Tenant;
import dev.ben.sender.testing.SpecVerifier;
import dev.ben.sender.testing.UnitRig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tenant routing and per-record URLs in notify and retry (in-memory stores, scripted sender). */
class NotifyTenantsTest {

    private static final String SECRET_B = "whsec_dGVuYW50LWItc2VjcmV0LWZvci1iZW4tdGVzdHM=";
    private static final String SECRET_B2 = "whsec_cm90YXRlZC10ZW5hbnQtYi1zZWNyZXQtZm9yLWJlbg==";

    private final UnitRig rig = new UnitRig(
            Endpoint.of("ep-a1", "https://a1.example/h", Set.of("invoice.Settled"), List.of(UnitRig.SECRET))
                    .withTenant("tenant-a"),
            Endpoint.of("ep-a2", "https://a2.example/h", Set.of("*"), List.of(UnitRig.SECRET)).withTenant("tenant-a"),
            Endpoint.of("ep-a3", "https://a3.example/h", Set.of("invoice.state"), List.of(UnitRig.SECRET))
                    .withTenant("tenant-a"),
            Endpoint.of("ep-b1", "https://b1.example/h", Set.of("*"), List.of(UnitRig.SECRET)).withTenant("tenant-b"),
            Endpoint.of("ep-0", "https://zero.example/h", Set.of("*"), List.of(UnitRig.SECRET)));

    private List<String> process(DynamodbStreamRecord... records) {
        return rig.notifyService(NotifyMode.SAFE, EventMapperTest.INVOICES).process(List.of(records));
    }

    private static DynamodbStreamRecord settled(String tenant, String invoiceNo) {
        return invoice("MODIFY", Map.of("tenantId", s(tenant), "invoiceNo", n(invoiceNo), "settled", bool(false)),
                Map.of("tenantId", s(tenant), "invoiceNo", n(invoiceNo), "settled", bool(true)));
    }

    private static DynamodbStreamRecord callback(String tenant, String url) {
        return invoice("MODIFY", Map.of("tenantId", s(tenant), "invoiceNo", n("5"), "state", n("2")),
                Map.of("tenantId", s(tenant), "invoiceNo", n("5"), "state", n("3"), "notifyUrl", s(url)));
    }

    /** The delivery to the per-record URL (the state change also emits the tenant-less invoice.state). */
    private StoredDelivery urlDelivery() {
        return rig.deliveries.items.values().stream()
                .filter(x -> EventIds.isUrlEndpoint(x.delivery().endpointId())).findFirst().orElseThrow();
    }

    private List<HttpOutcomeSent> urlPosts() {
        return rig.sender.sent.stream().filter(p -> !p.request().url().contains("zero.example"))
                .map(HttpOutcomeSent::new).toList();
    }

    private record HttpOutcomeSent(dev.ben.sender.testing.ScriptedSender.Sent sent) {
    }

    private String token(StoredDelivery d) {
        return rig.queue.sent.stream().filter(m -> m.deliveryId().equals(d.id())).findFirst().orElseThrow().token();
    }

    private List<String> endpointsReached() {
        return rig.deliveries.items.values().stream().map(d -> d.delivery().endpointId()).sorted().toList();
    }

    @Test
    void tenantsEvent_reachesOnlyItsTenantsSubscribedEndpoints() {
        process(settled("tenant-a", "1"));

        assertThat(endpointsReached()).containsExactly("ep-a1", "ep-a2");
        assertThat(rig.deliveries.items.values()).allSatisfy(d -> assertThat(d.delivery().tenantId())
                .isEqualTo("tenant-a"));
    }

    @Test
    void otherTenantsEvent_reachesOnlyThatTenant() {
        process(settled("tenant-b", "1"));

        assertThat(endpointsReached()).containsExactly("ep-b1");
    }

    @Test
    void tenantlessRule_reachesOnlyTenantlessEndpoints() {
        process(invoice("MODIFY", Map.of("tenantId", s("tenant-a"), "invoiceNo", n("2"), "state", n("1")),
                Map.of("tenantId", s("tenant-a"), "invoiceNo", n("2"), "state", n("2"))));

        assertThat(endpointsReached()).as("the rule invoice.state has no tenant attribute").containsExactly("ep-0");
    }

    @Test
    void tenantWithoutEndpoints_getsNothing_andNobodyElseGetsIt() {
        process(settled("tenant-c", "1"));

        assertThat(rig.deliveries.items).isEmpty();
        assertThat(rig.logText()).contains("no endpoint subscribes to invoice.Settled of tenant tenant-c");
        assertThat(rig.events.items.values()).singleElement().satisfies(e -> assertThat(e.note())
                .isEqualTo("no endpoint subscribes to invoice.Settled of tenant tenant-c"));
    }

    @Test
    void eachEventWithDeliveries_getsOneEventItem_listingItsEndpoints() {
        process(settled("tenant-a", "1"), settled("tenant-c", "2"));

        assertThat(rig.events.items.values()).filteredOn(e -> e.note().isEmpty()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("invoice.Settled");
            assertThat(e.entityId()).isEqualTo("tenant-a|1");
            assertThat(e.tenantId()).isEqualTo("tenant-a");
            assertThat(e.endpointIds()).containsExactlyInAnyOrder("ep-a1", "ep-a2");
            assertThat(e.sequence()).isEqualTo("400000000000000000042");
        });
    }

    @Test
    void eventItemWriteFailure_reportsTheRecord_andDeliversNothingYet() {
        rig.events.failNextWrite = true;
        var record = settled("tenant-a", "1");

        List<String> failed = process(record);

        assertThat(failed).containsExactly(record.getDynamodb().getSequenceNumber());
        assertThat(rig.deliveries.items).isEmpty();
        assertThat(rig.sender.sent).isEmpty();
    }

    @Test
    void perRecordUrl_onAnAllowedHost_isPostedSignedWithTheTenantsSecret_andTheUrlIsStored() {
        rig.tenants.items.put("tenant-b", new Tenant("tenant-b", List.of("*.b.example"), List.of(SECRET_B)));

        process(callback("tenant-b", "https://pay.b.example/notify?o=5"));

        var post = rig.sender.sent.stream().filter(p -> p.request().url().startsWith("https://pay.b.example"))
                .findFirst().orElseThrow();
        assertThat(SpecVerifier.verifies(SECRET_B, post.headers().get("webhook-id"),
                post.headers().get("webhook-timestamp"), post.request().body(), post.headers().get("webhook-signature")))
                .isTrue();
        StoredDelivery d = urlDelivery();
        assertThat(d.delivery().endpointId())
                .isEqualTo(EventIds.urlEndpointId("tenant-b", "https://pay.b.example/notify?o=5"));
        assertThat(d.url()).isEqualTo("https://pay.b.example/notify?o=5");
        assertThat(d.delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(rig.sender.sent).as("a per-record URL rule goes to the URL only")
                .noneMatch(p -> p.request().url().contains("b1.example"));
    }

    @Test
    void perRecordUrl_ofARotatingTenant_carriesASignatureOfEachSecret() {
        rig.tenants.items.put("tenant-b", new Tenant("tenant-b", List.of("pay.b.example"),
                List.of(SECRET_B, SECRET_B2)));

        process(callback("tenant-b", "https://pay.b.example/n"));

        var post = rig.sender.sent.stream().filter(p -> p.request().url().startsWith("https://pay.b.example"))
                .findFirst().orElseThrow();
        String signatures = post.headers().get("webhook-signature");
        assertThat(signatures.split(" ")).hasSize(2);
        assertThat(SpecVerifier.verifies(SECRET_B, post.headers().get("webhook-id"),
                post.headers().get("webhook-timestamp"), post.request().body(), signatures))
                .as("the old secret still verifies").isTrue();
        assertThat(SpecVerifier.verifies(SECRET_B2, post.headers().get("webhook-id"),
                post.headers().get("webhook-timestamp"), post.request().body(), signatures))
                .as("the new secret verifies").isTrue();
    }

    @Test
    void perRecordUrl_onAHostNotAllowed_endsFailedWithTheReason_nothingPosted() {
        rig.tenants.items.put("tenant-b", new Tenant("tenant-b", List.of("pay.b.example"), List.of(SECRET_B)));

        process(callback("tenant-b", "https://evil.example/steal"));

        assertThat(urlPosts()).isEmpty();
        StoredDelivery d = urlDelivery();
        assertThat(d.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(d.delivery().lastError()).contains("host evil.example of the per-record URL is not on tenant"
                + " tenant-b's allowed hosts [pay.b.example]").contains("ben tenants update tenant-b");
        assertThat(d.payload()).as("kept for a replay once allowed").isNotNull();
        assertThat(rig.queue.deadLetters).anyMatch(l -> l.startsWith(d.id()));
    }

    @Test
    void perRecordUrl_ofAnUnknownTenant_endsFailedWithTheReason() {
        process(callback("tenant-x", "https://pay.x.example/n"));

        assertThat(urlPosts()).isEmpty();
        StoredDelivery d = urlDelivery();
        assertThat(d.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(d.delivery().lastError()).contains("tenant tenant-x is not registered")
                .contains("ben tenants add tenant-x --allowed-host pay.x.example");
    }

    @Test
    void perRecordUrl_retry_usesTheStoredUrl_andTheTenantsCurrentSecrets() {
        rig.tenants.items.put("tenant-b", new Tenant("tenant-b", List.of("pay.b.example"), List.of(SECRET_B)));
        rig.sender.script(r -> HttpOutcome.status(503, Duration.ofMillis(1)));
        process(callback("tenant-b", "https://pay.b.example/n"));
        StoredDelivery first = urlDelivery();
        assertThat(first.delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
        rig.tenants.items.put("tenant-b", new Tenant("tenant-b", List.of("pay.b.example"), List.of(SECRET_B2)));
        rig.sender.script(r -> HttpOutcome.status(200, Duration.ofMillis(1)));
        rig.clock.advance(Duration.ofMinutes(1));

        var ack = rig.retryService().process("{\"deliveryId\":\"" + first.id() + "\"}", token(first));

        assertThat(ack).isEqualTo(RetryService.Ack.DONE);
        var post = rig.sender.sent.getLast();
        assertThat(post.request().url()).isEqualTo("https://pay.b.example/n");
        assertThat(SpecVerifier.verifies(SECRET_B2, post.headers().get("webhook-id"),
                post.headers().get("webhook-timestamp"), post.request().body(), post.headers().get("webhook-signature")))
                .as("signed with the rotated secret").isTrue();
        assertThat(rig.deliveries.find(first.id()).orElseThrow().delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void perRecordUrl_retry_afterTheHostWasRemoved_endsFailedWithTheReason() {
        rig.tenants.items.put("tenant-b", new Tenant("tenant-b", List.of("pay.b.example"), List.of(SECRET_B)));
        rig.sender.script(r -> HttpOutcome.status(503, Duration.ofMillis(1)));
        process(callback("tenant-b", "https://pay.b.example/n"));
        StoredDelivery first = urlDelivery();
        rig.tenants.items.put("tenant-b", new Tenant("tenant-b", List.of("other.b.example"), List.of(SECRET_B)));
        rig.clock.advance(Duration.ofMinutes(1));
        int posts = rig.sender.sent.size();

        rig.retryService().process(first.id(), token(first));

        assertThat(rig.sender.sent).hasSize(posts);
        var after = rig.deliveries.find(first.id()).orElseThrow().delivery();
        assertThat(after.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(after.lastError()).contains("not on tenant tenant-b's allowed hosts [other.b.example]");
    }
}
