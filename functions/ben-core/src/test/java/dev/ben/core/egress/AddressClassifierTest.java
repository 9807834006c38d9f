package dev.ben.core.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressClassifierTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "0.0.0.0, UNSPECIFIED",
            "0.255.1.2, UNSPECIFIED",
            "127.0.0.1, LOOPBACK",
            "127.255.255.254, LOOPBACK",
            "10.0.0.1, PRIVATE",
            "10.255.255.255, PRIVATE",
            "172.16.0.1, PRIVATE",
            "172.31.255.255, PRIVATE",
            "192.168.1.1, PRIVATE",
            "100.64.0.1, CARRIER_GRADE_NAT",
            "100.127.255.255, CARRIER_GRADE_NAT",
            "100.100.100.200, CARRIER_GRADE_NAT",
            "169.254.0.1, LINK_LOCAL",
            "169.254.169.254, METADATA",
            "192.0.0.192, METADATA",
            "224.0.0.1, MULTICAST",
            "239.255.255.250, MULTICAST",
            "255.255.255.255, BROADCAST",
            "240.0.0.1, RESERVED",
            "192.0.0.8, RESERVED",
            "198.18.0.1, RESERVED",
            "198.19.255.255, RESERVED",
            "'::', UNSPECIFIED",
            "'::1', LOOPBACK",
            "'fe80::1', LINK_LOCAL",
            "'febf::1', LINK_LOCAL",
            "'fc00::1', UNIQUE_LOCAL",
            "'fdff:ffff::1', UNIQUE_LOCAL",
            "'fec0::1', UNIQUE_LOCAL",
            "'fd00:ec2::254', METADATA",
            "'ff02::1', MULTICAST",
            "'::ffff:10.0.0.1', PRIVATE",
            "'::ffff:127.0.0.1', LOOPBACK",
            "'::ffff:169.254.169.254', METADATA",
            "'::10.0.0.1', PRIVATE",
            "'::127.0.0.1', LOOPBACK",
            "'64:ff9b::10.0.0.1', PRIVATE",
            "'64:ff9b::7f00:1', LOOPBACK",
            "'64:ff9b::a9fe:a9fe', METADATA",
            "'64:ff9b:1::1', RESERVED",
            "'2002:0a00:0001::1', PRIVATE",
            "'2002:7f00:0001::1', LOOPBACK",
            "'2001:0:4136:e378::1', RESERVED",
            "'100::1', RESERVED",
    })
    void classify_refusedRanges(String address, AddressRange expected) throws UnknownHostException {
        assertThat(AddressClassifier.classify(InetAddress.getByName(address))).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.1", "100.63.255.255",
            "100.128.0.1", "169.253.255.255", "192.167.1.1", "198.17.255.255", "198.20.0.1", "223.255.255.255",
            "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "64:ff9b::808:808", "::ffff:8.8.8.8",
            "2002:0808:0808::1", "fbff::1", "fe7f::1", "64:ff9b:101::1"})
    void classify_publicAddresses_areAllowed(String address) throws UnknownHostException {
        assertThat(AddressClassifier.classify(InetAddress.getByName(address))).isEmpty();
    }

    @ParameterizedTest(name = "raw IPv6 bytes of {0} are {1}")
    @CsvSource({
            "10.0.0.1, PRIVATE",
            "127.0.0.1, LOOPBACK",
            "169.254.169.254, METADATA",
            "192.168.0.1, PRIVATE",
    })
    void classify_ipv4MappedKeptAsInet6Address_isJudgedByEmbeddedV4(String v4, AddressRange expected)
            throws UnknownHostException {
        byte[] b4 = InetAddress.getByName(v4).getAddress();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(b4, 0, mapped, 12, 4);
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, null);

        Optional<AddressRange> range = AddressClassifier.classify(v6);

        assertThat(range).contains(expected);
    }
}
