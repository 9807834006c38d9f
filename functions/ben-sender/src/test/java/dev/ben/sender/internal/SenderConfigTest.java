package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.core.egress.AddressRange;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SenderConfigTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // a literal: no DNS lookup
    }

    @Test
    void addressPolicy_withAllowedHosts_allowsListedPrivateHostAndRefusesUnlistedOne() throws Exception {
        var policy = new SenderConfig(Map.of(EnvVars.ALLOWED_HOSTS, " hooks.internal.example , Other.Example. "))
                .addressPolicy();

        assertThat(policy.allowedHosts()).containsExactlyInAnyOrder("hooks.internal.example", "other.example");
        assertThat(policy.refusal("hooks.internal.example", ip("10.1.2.3"))).isEmpty();
        assertThat(policy.refusal("other.example", ip("192.168.0.9"))).isEmpty();
        assertThat(policy.refusal("unlisted.internal.example", ip("10.1.2.3"))).contains(AddressRange.PRIVATE);
        // never-allowed ranges stay refused even for a listed host
        assertThat(policy.refusal("hooks.internal.example", ip("169.254.169.254"))).isPresent();
    }

    @Test
    void addressPolicy_withIpAndCidrEntries_opensThoseAddressesForAnyHostName() throws Exception {
        var policy = new SenderConfig(Map.of(EnvVars.ALLOWED_HOSTS, "10.0.0.5,192.168.1.0/24, fd00:1::/64"))
                .addressPolicy();

        assertThat(policy.allowedHosts()).isEmpty();
        assertThat(policy.refusal("hooks.internal", ip("10.0.0.5"))).isEmpty();
        assertThat(policy.refusal("other.internal", ip("192.168.1.77"))).isEmpty();
        assertThat(policy.refusal("v6.internal", ip("fd00:1::9"))).isEmpty();
        assertThat(policy.refusal("hooks.internal", ip("10.0.0.6"))).contains(AddressRange.PRIVATE);
        assertThat(policy.refusal("other.internal", ip("192.168.2.1"))).contains(AddressRange.PRIVATE);
    }

    @Test
    void addressPolicy_withMalformedCidr_failsNamingTheVariable() {
        assertThatThrownBy(() -> new SenderConfig(Map.of(EnvVars.ALLOWED_HOSTS, "10.0.0.0/99")).addressPolicy())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BEN_ALLOWED_HOSTS")
                .hasMessageContaining("10.0.0.0/99");
    }

    @Test
    void addressPolicy_byDefault_isStrict_publicOnly_httpAllowed() throws Exception {
        var policy = new SenderConfig(Map.of()).addressPolicy();

        assertThat(policy.allowPrivate()).isFalse();
        assertThat(policy.allowedHosts()).isEmpty();
        assertThat(policy.httpsOnly()).isFalse();
        assertThat(policy.refusal("localhost", ip("127.0.0.1"))).isPresent();
        assertThat(policy.refusal("example.com", ip("93.184.216.34"))).isEmpty();
    }

    @Test
    void addressPolicy_readsHttpsOnlyAndAllowPrivateAddresses() throws Exception {
        var policy = new SenderConfig(Map.of(EnvVars.HTTPS_ONLY, "TRUE", EnvVars.ALLOW_PRIVATE_ADDRESSES, "true"))
                .addressPolicy();

        assertThat(policy.httpsOnly()).isTrue();
        assertThat(policy.allowPrivate()).isTrue();
        assertThat(policy.refusal("anything.internal", ip("10.1.2.3"))).isEmpty();
    }

    @Test
    void declaration_isReadFromBenDeclaration_andSourceTablesCanBeOverriddenPerSource() {
        var config = new SenderConfig(Map.of(EnvVars.DECLARATION, dev.ben.events.SampleEvents.demoDeclarationJson(),
                "BEN_SOURCE_TABLE_ORDERS", "Ben-OrdersTable-1A2B"));

        var declaration = config.declaration();

        assertThat(declaration.sources()).extracting(s -> s.name()).containsExactly("orders");
        assertThat(config.sourceTables(declaration)).containsExactly(Map.entry("orders", "Ben-OrdersTable-1A2B"));
        assertThat(new SenderConfig(Map.of()).sourceTables(declaration)).containsExactly(Map.entry("orders", "orders"));
    }

    @Test
    void declaration_missingOrInvalid_failsNamingTheVariableAndEachProblem() {
        assertThatThrownBy(() -> new SenderConfig(Map.of()).declaration())
                .hasMessageContaining("environment variable BEN_DECLARATION is not set");
        assertThatThrownBy(() -> new SenderConfig(Map.of(EnvVars.DECLARATION, "{\"sources\": [{}]}")).declaration())
                .hasMessageContaining("sources[0].name: is required")
                .hasMessageContaining("sources[0].rules: is required");
    }

    @Test
    void legacyEventRules_areRefused_pointingToTheMigrationNote() {
        var config = new SenderConfig(Map.of("BEN_EVENT_RULES", "orders|orderId|status=PAID|order.paid|version|orderId",
                EnvVars.DECLARATION, dev.ben.events.SampleEvents.demoDeclarationJson()));

        assertThatThrownBy(config::declaration).hasMessageContaining("BEN_EVENT_RULES is no longer read")
                .hasMessageContaining("docs/declaration.md");
    }

    @Test
    void sweeperGrace_byDefault_outlastsEveryInvocationThatCanHoldADeliveryMidAttempt() {
        var grace = new SenderConfig(Map.of()).sweeperGrace();

        // a PENDING or RETRYING delivery is only mid-attempt while a notify or retry invocation runs: once it is
        // overdue by more than the longest of their timeouts, no attempt of it can still be in flight
        assertThat(BenSettings.own().functions()).filteredOn(f -> List.of("notify", "retry").contains(f.logicalName()))
                .hasSize(2).allSatisfy(f -> assertThat(grace).as(f.logicalName()).isGreaterThan(f.timeout()));
    }
}
