package dev.ben.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who receives what: tenant scoping of endpoints, tenants' host allow-lists, derived per-record URL endpoints. */
class TenantRoutingTest {

    private static final List<String> SECRET = List.of("whsec_YWJj");

    private final Endpoint tenantA = Endpoint.of("ep-a", "https://a.example", Set.of("invoice.Settled"), SECRET)
            .withTenant("tenant-a");
    private final Endpoint tenantB = Endpoint.of("ep-b", "https://b.example", Set.of("*"), SECRET)
            .withTenant("tenant-b");
    private final Endpoint noTenant = Endpoint.of("ep-0", "https://0.example", Set.of("*"), SECRET);

    @Test
    void tenantsEvent_reachesOnlyThatTenantsSubscribedEndpoints() {
        assertThat(tenantA.receives("invoice.Settled", "tenant-a")).isTrue();
        assertThat(tenantA.receives("invoice.state", "tenant-a")).as("not subscribed").isFalse();
        assertThat(tenantA.receives("invoice.Settled", "tenant-b")).as("another tenant's event").isFalse();
        assertThat(tenantB.receives("invoice.Settled", "tenant-b")).isTrue();
    }

    @Test
    void tenantlessEndpoint_getsOnlyTenantlessEvents_neverATenantsEvent() {
        assertThat(noTenant.receives("invoice.Settled", "")).isTrue();
        assertThat(noTenant.receives("invoice.Settled", "tenant-a")).isFalse();
        assertThat(tenantA.receives("invoice.Settled", "")).as("a tenant's endpoint, tenant-less event").isFalse();
    }

    @Test
    void eventTypes_matchExactly_caseSensitive() {
        assertThat(tenantA.receives("invoice.settled", "tenant-a")).isFalse();
    }

    @Test
    void disabledEndpoint_receivesNothing() {
        assertThat(tenantB.disabled("gone").receives("x", "tenant-b")).isFalse();
    }

    @Test
    void endpoint_refusesAMalformedTenantId() {
        assertThatThrownBy(() -> noTenant.withTenant("has space")).hasMessageContaining("tenant id 'has space'");
    }

    @Test
    void tenant_allowsExactHostsAndSuffixPatterns_caseInsensitive() {
        Tenant t = new Tenant("tenant-a", List.of("pay.example.com", "*.merchant.example"), SECRET);

        assertThat(t.allowsHost("pay.example.com")).isTrue();
        assertThat(t.allowsHost("PAY.Example.com.")).isTrue();
        assertThat(t.allowsHost("evil-pay.example.com")).isFalse();
        assertThat(t.allowsHost("shop.merchant.example")).isTrue();
        assertThat(t.allowsHost("a.b.merchant.example")).isTrue();
        assertThat(t.allowsHost("merchant.example")).as("the pattern names subdomains only").isFalse();
        assertThat(t.allowsHost("evilmerchant.example")).isFalse();
        assertThat(t.allowsHost("")).isFalse();
    }

    @Test
    void tenant_validatesItsFields_andHidesSecrets() {
        assertThatThrownBy(() -> new Tenant("t", List.of("http://x"), SECRET)).hasMessageContaining("not a host name");
        assertThatThrownBy(() -> new Tenant("t", List.of(), List.of())).hasMessageContaining("1 or 2 signing secrets");
        assertThatThrownBy(() -> new Tenant("a b", List.of(), SECRET)).hasMessageContaining("tenant id 'a b'");
        assertThat(new Tenant("t", List.of(), SECRET).toString()).doesNotContain("whsec_");
    }

    @Test
    void urlEndpointId_isDeterministicPerTenantAndUrl() {
        String id = EventIds.urlEndpointId("tenant-a", "https://pay.example.com/notify");

        assertThat(id).startsWith("ep_url_").hasSize(7 + 27);
        assertThat(EventIds.urlEndpointId("tenant-a", "https://pay.example.com/notify")).isEqualTo(id);
        assertThat(EventIds.urlEndpointId("tenant-b", "https://pay.example.com/notify")).isNotEqualTo(id);
        assertThat(EventIds.isUrlEndpoint(id)).isTrue();
        assertThat(EventIds.isUrlEndpoint("ep-a")).isFalse();
    }
}
