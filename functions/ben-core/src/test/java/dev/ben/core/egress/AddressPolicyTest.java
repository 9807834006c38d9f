package dev.ben.core.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

    @Test
    void allowedHosts_areLowerCasedWithoutTrailingDot_blanksDropped() {
        AddressPolicy policy = AddressPolicy.strict().withAllowedHosts(Set.of(" Receiver.Internal. ", "  ", ""));

        assertThat(policy.allowedHosts()).containsExactly("receiver.internal");
    }

    @Test
    void maxUrlLength_ofSixteen_isTheShortestAccepted() {
        AddressPolicy shortest = new AddressPolicy(false, List.of(), false, 16);

        assertThat(shortest.maxUrlLength()).isEqualTo(16);
        assertThatThrownBy(() -> new AddressPolicy(false, List.of(), false, 15)).hasMessageContaining(">= 16, got 15");
    }

    @Test
    void refusal_ofAnAddressAlone_appliesNoHostException() throws UnknownHostException {
        AddressPolicy policy = AddressPolicy.strict().withAllowedHosts(Set.of("receiver.internal"));

        assertThat(policy.refusal(InetAddress.getByName("10.0.0.7"))).contains(AddressRange.PRIVATE);
        assertThat(policy.refusal("receiver.internal", InetAddress.getByName("10.0.0.7"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("93.184.216.34"))).isEmpty();
    }

    @Test
    void withHttpsOnly_switchesOnlyTheScheme() {
        AddressPolicy local = AddressPolicy.localDevelopment().withAllowList(List.of(Cidr.parse("10.0.0.0/8")));

        AddressPolicy httpsOnly = local.withHttpsOnly(true);

        assertThat(httpsOnly.httpsOnly()).isTrue();
        assertThat(httpsOnly).isEqualTo(new AddressPolicy(true, List.of(Cidr.parse("10.0.0.0/8")), Set.of(), true,
                AddressPolicy.DEFAULT_MAX_URL_LENGTH));
        assertThat(httpsOnly.withHttpsOnly(false)).isEqualTo(local);
    }
}
