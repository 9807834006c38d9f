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

    @Test
    void prefixZeroAndFullLength_areValid_beyondIsRefusedWithTheAddressSize() throws UnknownHostException {
        Cidr everything = new Cidr(new byte[4], 0);
        Cidr oneV6Host = new Cidr(InetAddress.getByName("fd00::1").getAddress(), 128);

        assertThat(everything.contains(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(oneV6Host.contains(InetAddress.getByName("fd00::1"))).isTrue();
        assertThat(oneV6Host.contains(InetAddress.getByName("fd00::2"))).isFalse();
        assertThatThrownBy(() -> new Cidr(new byte[4], -1)).hasMessageContaining("/-1");
        assertThatThrownBy(() -> new Cidr(new byte[16], 129)).hasMessageContaining("out of range for 128-bit");
        assertThatThrownBy(() -> new Cidr(new byte[5], 8)).hasMessageContaining("4 or 16 bytes");
    }

    @Test
    void equality_followsNetworkBytesAndPrefix() {
        Cidr block = Cidr.parse("10.0.0.0/8");

        assertThat(Cidr.parse("10.0.0.0/8")).isEqualTo(block).hasSameHashCodeAs(block);
        assertThat(Cidr.parse("10.0.0.0/16")).isNotEqualTo(block);
        assertThat(Cidr.parse("11.0.0.0/8")).isNotEqualTo(block);
        assertThat(block).isNotEqualTo("10.0.0.0/8");
    }

    @Test
    void network_isACopy_theBlockCannotBeChangedThroughIt() throws UnknownHostException {
        Cidr block = Cidr.parse("10.0.0.0/8");

        block.network()[0] = 127;

        assertThat(block.network()).containsExactly(10, 0, 0, 0);
        assertThat(block.contains(InetAddress.getByName("127.0.0.1"))).isFalse();
    }
}
