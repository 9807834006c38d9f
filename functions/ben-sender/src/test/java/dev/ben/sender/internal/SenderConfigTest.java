package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.egress.AddressRange;
import dev.ben.settings.EnvVars;
import java.net.InetAddress;
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
}
