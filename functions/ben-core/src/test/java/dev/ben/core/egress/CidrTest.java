package dev.ben.core.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void contains_v4Prefixes() throws UnknownHostException {
        Cidr c = Cidr.parse("10.1.0.0/16");

        assertThat(c.contains(InetAddress.getByName("10.1.255.3"))).isTrue();
        assertThat(c.contains(InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(Cidr.parse("172.16.0.0/12").contains(InetAddress.getByName("172.31.0.1"))).isTrue();
        assertThat(Cidr.parse("172.16.0.0/12").contains(InetAddress.getByName("172.32.0.1"))).isFalse();
    }

    @Test
    void bareAddress_isSingleHost() throws UnknownHostException {
        Cidr c = Cidr.parse("127.0.0.1");

        assertThat(c.prefix()).isEqualTo(32);
        assertThat(c.contains(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(c.contains(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(c.toString()).isEqualTo("127.0.0.1/32");
    }

    @Test
    void contains_v6_andFamiliesDoNotMix() throws UnknownHostException {
        Cidr c = Cidr.parse("fd12:3456::/32");

        assertThat(c.contains(InetAddress.getByName("fd12:3456:1::1"))).isTrue();
        assertThat(c.contains(InetAddress.getByName("fd12:3457::1"))).isFalse();
        assertThat(c.contains(InetAddress.getByName("10.0.0.1"))).isFalse();
    }

    @Test
    void parse_refusesHostNamesAndBadPrefixes() {
        assertThatThrownBy(() -> Cidr.parse("localhost/8")).hasMessageContaining("IP literal");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("/33");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("bad CIDR");
    }
}
