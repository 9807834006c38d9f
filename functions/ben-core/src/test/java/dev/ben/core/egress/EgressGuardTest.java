package dev.ben.core.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.core.http.ErrorKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EgressGuardTest {

    /** A resolver answering from a map: no network. */
    private static EgressGuard.Resolver fixed(Map<String, List<String>> answers) {
        return host -> {
            List<String> ips = answers.get(host);
            if (ips == null) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> out = new ArrayList<>();
            for (String ip : ips) {
                out.add(InetAddress.getByName(ip));
            }
            return out;
        };
    }

    private final EgressGuard strict = new EgressGuard(AddressPolicy.strict(), fixed(Map.of(
            "hooks.example.com", List.of("93.184.216.34"),
            "internal.example.com", List.of("10.0.0.7"),
            "mixed.example.com", List.of("93.184.216.34", "127.0.0.1"),
            "metadata.example.com", List.of("169.254.169.254"),
            "localhost", List.of("127.0.0.1", "::1"))));

    @Test
    void check_publicHost_returnsTargetWithResolvedAddresses() {
        Target t = strict.check("https://hooks.example.com/webhooks/orders?x=1#frag");

        assertThat(t.https()).isTrue();
        assertThat(t.host()).isEqualTo("hooks.example.com");
        assertThat(t.port()).isEqualTo(443);
        assertThat(t.requestTarget()).isEqualTo("/webhooks/orders?x=1");
        assertThat(t.hostHeader()).isEqualTo("hooks.example.com");
        assertThat(t.addresses()).extracting(InetAddress::getHostAddress).containsExactly("93.184.216.34");
        assertThat(t.uri().getFragment()).isNull();
    }

    @Test
    void check_explicitPortAndEmptyPath() {
        Target t = strict.check("http://hooks.example.com:8080");

        assertThat(t.port()).isEqualTo(8080);
        assertThat(t.requestTarget()).isEqualTo("/");
        assertThat(t.hostHeader()).isEqualTo("hooks.example.com:8080");
    }

    @Test
    void check_hostResolvingToPrivateAddress_isBlocked() {
        assertThatThrownBy(() -> strict.check("https://internal.example.com/"))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BLOCKED_ADDRESS))
                .hasMessageContaining("10.0.0.7").hasMessageContaining("private")
                .hasMessageContaining("BEN_ALLOW_PRIVATE_ADDRESSES");
    }

    @Test
    void check_anyResolvedAddressBlocked_blocksTheWholeUrl() {
        assertThatThrownBy(() -> strict.check("https://mixed.example.com/"))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BLOCKED_ADDRESS))
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void check_ipLiterals_inEveryForm_areBlocked() {
        EgressGuard guard = new EgressGuard(AddressPolicy.strict()); // system resolver: literals need no DNS
        for (String url : List.of("http://127.0.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
                "http://[::ffff:a9fe:a9fe]/", "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
                "http://0.0.0.0:8080/", "http://[64:ff9b::a00:1]/", "http://10.1.2.3/", "http://100.64.1.1/")) {
            assertThatThrownBy(() -> guard.check(url)).as(url)
                    .isInstanceOfSatisfying(EgressException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.BLOCKED_ADDRESS));
        }
    }

    @Test
    void check_localhostAllowedOnlyWhenPrivateAllowed() {
        EgressGuard dev = new EgressGuard(AddressPolicy.localDevelopment(), fixed(Map.of(
                "localhost", List.of("127.0.0.1", "::1"))));

        assertThat(dev.check("http://localhost:9000/hook").addresses()).hasSize(2);
        assertThatThrownBy(() -> strict.check("http://localhost:9000/hook")).isInstanceOf(EgressException.class);
    }

    @Test
    void check_metadataRefusedEvenWhenPrivateAllowed() {
        EgressGuard dev = new EgressGuard(AddressPolicy.localDevelopment(), fixed(Map.of(
                "metadata.example.com", List.of("169.254.169.254"))));

        assertThatThrownBy(() -> dev.check("http://metadata.example.com/latest/meta-data/"))
                .isInstanceOf(EgressException.class).hasMessageContaining("never allowed");
        assertThatThrownBy(() -> dev.check("http://[fd00:ec2::254]/")).isInstanceOf(EgressException.class);
        assertThatThrownBy(() -> dev.check("http://0.0.0.0/")).isInstanceOf(EgressException.class);
    }

    @Test
    void check_allowListOpensOnlyItsBlock() {
        EgressGuard guard = new EgressGuard(AddressPolicy.strict().withAllowList(List.of(Cidr.parse("10.0.0.0/24"))),
                fixed(Map.of("internal.example.com", List.of("10.0.0.7"), "other.example.com", List.of("10.0.1.7"))));

        assertThat(guard.check("http://internal.example.com/").addresses()).hasSize(1);
        assertThatThrownBy(() -> guard.check("http://other.example.com/")).isInstanceOf(EgressException.class);
    }

    @Test
    void check_allowedHostName_opensPrivateRangesForThatHostOnly() {
        AddressPolicy policy = AddressPolicy.fromSettings("false", "false", " Receiver.Internal , ");
        EgressGuard guard = new EgressGuard(policy, fixed(Map.of("receiver.internal", List.of("10.0.0.7"),
                "other.internal", List.of("10.0.0.8"), "receiver.internal.", List.of("10.0.0.7"),
                "metadata.internal", List.of("169.254.169.254"))));

        assertThat(guard.check("http://RECEIVER.internal/hook").addresses()).hasSize(1);
        assertThat(guard.check("http://receiver.internal./hook").addresses()).hasSize(1);
        assertThatThrownBy(() -> guard.check("http://other.internal/hook")).isInstanceOf(EgressException.class)
                .hasMessageContaining("BEN_ALLOWED_HOSTS");
        EgressGuard withMetadata = new EgressGuard(policy.withAllowedHosts(Set.of("metadata.internal")),
                fixed(Map.of("metadata.internal", List.of("169.254.169.254"))));
        assertThatThrownBy(() -> withMetadata.check("http://metadata.internal/")).isInstanceOf(EgressException.class)
                .hasMessageContaining("never allowed");
    }

    @Test
    void check_unknownHost_isUnknownHostNotBlocked() {
        assertThatThrownBy(() -> strict.check("https://nope.example.com/"))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNKNOWN_HOST));
    }

    @Test
    void validateUrl_refusesBadUrlsWithClearReasons() {
        assertInvalid("ftp://hooks.example.com/", "http:// or https://");
        assertInvalid("file:///etc/passwd", "http:// or https://");
        assertInvalid("gopher://127.0.0.1:25/", "http:// or https://");
        assertInvalid("/relative/path", "http:// or https://");
        assertInvalid("https://user:pass@hooks.example.com/", "user info");
        assertInvalid("https://hooks.example.com@10.0.0.1/", "user info");
        assertInvalid("https://hooks.example.com:99999/", "port");
        assertInvalid("https://hooks.example.com:0/", "port");
        assertInvalid("https://hooks.example.com:/", "empty port");
        assertInvalid("https://bad host/", "malformed");
        assertInvalid("https:///path-only", "host");
        assertInvalid("https://" + "a".repeat(3000) + ".com/", "limit is 2048");
        assertInvalid("", "empty");
        assertInvalid("http://hooks.example.com/\r\nX-Injected: 1", "malformed");
    }

    @Test
    void validateUrl_httpsOnly_refusesHttp() {
        EgressGuard deployed = new EgressGuard(AddressPolicy.deployed(),
                fixed(Map.of("hooks.example.com", List.of("93.184.216.34"))));

        assertThatThrownBy(() -> deployed.check("http://hooks.example.com/"))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_URL))
                .hasMessageContaining("BEN_HTTPS_ONLY");
        assertThat(deployed.check("HTTPS://hooks.example.com/").https()).isTrue();
    }

    @Test
    void fromSettings_parsesTrueCaseInsensitively() {
        assertThat(AddressPolicy.fromSettings("TRUE", "false").allowPrivate()).isTrue();
        assertThat(AddressPolicy.fromSettings(null, " true ").httpsOnly()).isTrue();
        assertThat(AddressPolicy.fromSettings("yes", null).allowPrivate()).isFalse();
    }

    private void assertInvalid(String url, String messagePart) {
        assertThatThrownBy(() -> strict.check(url)).as(url)
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_URL))
                .hasMessageContaining(messagePart);
    }

    @Test
    void check_ipv6Literal_targetsTheBareAddress_bracketsOnlyInTheHostHeader() {
        List<String> asked = new ArrayList<>();
        EgressGuard guard = new EgressGuard(AddressPolicy.strict(), host -> {
            asked.add(host);
            return List.of(InetAddress.getByName(host));
        });

        Target t = guard.check("https://[2606:4700:4700::1111]:8443/hooks");

        assertThat(asked).containsExactly("2606:4700:4700::1111");
        assertThat(t.host()).isEqualTo("2606:4700:4700::1111");
        assertThat(t.hostHeader()).isEqualTo("[2606:4700:4700::1111]:8443");
        assertThat(t.addresses()).extracting(InetAddress::getHostAddress).containsExactly("2606:4700:4700:0:0:0:0:1111");
    }

    @Test
    void check_ipv6LoopbackLiteral_onDefaultPort_hostHeaderIsBracketed() {
        EgressGuard dev = new EgressGuard(AddressPolicy.localDevelopment());

        Target t = dev.check("http://[::1]/hook");

        assertThat(t.host()).isEqualTo("::1");
        assertThat(t.hostHeader()).isEqualTo("[::1]");
    }

    @Test
    void check_ipv6LiteralNamedInAllowedHosts_isMatchedWithoutBrackets() {
        EgressGuard guard = new EgressGuard(AddressPolicy.strict().withAllowedHosts(Set.of("fd00::7")));

        Target t = guard.check("http://[fd00::7]:9000/hook");

        assertThat(t.host()).isEqualTo("fd00::7");
        assertThatThrownBy(() -> guard.check("http://[fd00::8]:9000/hook")).isInstanceOf(EgressException.class);
    }

    @Test
    void validateUrl_portsOneAnd65535_areInRange() {
        assertThat(strict.check("http://hooks.example.com:1/").port()).isEqualTo(1);
        assertThat(strict.check("http://hooks.example.com:65535/").port()).isEqualTo(65535);
        assertInvalid("http://hooks.example.com:65536/", "port 65536 is out of range");
    }

    @Test
    void validateUrl_urlOfExactlyTheMaximumLength_isAccepted() {
        String prefix = "https://hooks.example.com/";
        String atLimit = prefix + "p".repeat(AddressPolicy.DEFAULT_MAX_URL_LENGTH - prefix.length());

        Target t = strict.check(atLimit);

        assertThat(t.uri().toString()).hasSize(AddressPolicy.DEFAULT_MAX_URL_LENGTH);
        assertInvalid(atLimit + "p", "2049 characters long; the limit is 2048");
    }

    @Test
    void validateUrl_quotesTheRefusedUrl_abbreviatedAfter100Characters() {
        String exactly100 = "ftp://hooks.example.com/" + "x".repeat(100 - "ftp://hooks.example.com/".length());
        String longer = exactly100 + "yz";

        assertInvalid(exactly100, "got \"" + exactly100 + "\"");
        assertInvalid(longer, "got \"" + exactly100 + "…\"");
    }

    @Test
    void policy_isTheOneTheGuardWasBuiltWith() {
        AddressPolicy policy = AddressPolicy.deployed();

        assertThat(new EgressGuard(policy).policy()).isSameAs(policy);
    }
}
