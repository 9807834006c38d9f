package dev.ben.core.egress;

import dev.ben.core.http.ErrorKind;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The SSRF guard. {@link #check(String)} validates a URL, resolves its host <b>once</b>, validates
 * <b>every</b> resolved address against the {@link AddressPolicy} and returns a {@link Target} holding those
 * addresses. The HTTP sender connects only to a {@code Target}'s addresses — it never resolves the name again
 * — so DNS rebinding (a second lookup answering {@code 127.0.0.1}) cannot bypass the check. See
 * {@code HttpWebhookSender} for how TLS keeps SNI and host name verification on the original name.
 *
 * <p>URL rules: absolute {@code http}/{@code https} (https only when configured), a host, no userinfo
 * ({@code user:pass@} hides the real host from naive readers), port 1–65535, at most
 * {@link AddressPolicy#maxUrlLength()} characters. If any resolved address is refused the whole URL is
 * refused: an attacker-controlled name could otherwise mix a public and a private answer.
 */
public final class EgressGuard {

    /** Host name resolution, injectable for tests; the default is the JVM's resolver. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    public static final Resolver SYSTEM_RESOLVER = host -> List.of(InetAddress.getAllByName(host));

    private final AddressPolicy policy;
    private final Resolver resolver;

    public EgressGuard(AddressPolicy policy) {
        this(policy, SYSTEM_RESOLVER);
    }

    public EgressGuard(AddressPolicy policy, Resolver resolver) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    public AddressPolicy policy() {
        return policy;
    }

    /**
     * Validates, resolves and checks {@code url}.
     *
     * @throws EgressException with {@link ErrorKind#INVALID_URL}, {@link ErrorKind#BLOCKED_ADDRESS} or
     *                         {@link ErrorKind#UNKNOWN_HOST}
     */
    public Target check(String url) {
        URI uri = validateUrl(url);
        String host = bareHost(uri);
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new EgressException(ErrorKind.UNKNOWN_HOST, "cannot resolve host " + host);
        }
        if (addresses == null || addresses.isEmpty()) {
            throw new EgressException(ErrorKind.UNKNOWN_HOST, "host " + host + " resolved to no address");
        }
        for (InetAddress address : addresses) {
            Optional<AddressRange> refused = policy.refusal(host, address);
            if (refused.isPresent()) {
                throw new EgressException(ErrorKind.BLOCKED_ADDRESS, "host " + host + " resolves to "
                        + address.getHostAddress() + ", a " + refused.get().description() + " address"
                        + (refused.get().allowable() ? "; allowed only with BEN_ALLOW_PRIVATE_ADDRESSES=true "
                        + "(local development) or the host in BEN_ALLOWED_HOSTS" : "; never allowed"));
            }
        }
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestTarget = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new Target(uri, https, host, port, requestTarget, addresses);
    }

    /**
     * Syntax-only validation (no DNS), e.g. when an endpoint is registered.
     *
     * @throws EgressException with {@link ErrorKind#INVALID_URL} saying what is wrong
     */
    public URI validateUrl(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("URL is empty");
        }
        if (url.length() > policy.maxUrlLength()) {
            throw invalid("URL is " + url.length() + " characters long; the limit is " + policy.maxUrlLength());
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("URL is malformed: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw invalid("URL must start with http:// or https://, got \"" + abbreviate(url) + "\"");
        }
        if (policy.httpsOnly() && !scheme.equals("https")) {
            throw invalid("only https:// URLs are allowed (BEN_HTTPS_ONLY=true), got " + scheme + "://");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            throw invalid("URL must not contain user info (user:password@)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("URL has no valid host: \"" + abbreviate(url) + "\"");
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw invalid("port " + uri.getPort() + " is out of range 1-65535");
        }
        if (uri.getRawAuthority() != null && uri.getRawAuthority().endsWith(":")) {
            throw invalid("URL has an empty port");
        }
        try {
            return stripFragment(uri);
        } catch (URISyntaxException e) {
            throw invalid("URL is malformed: " + e.getMessage());
        }
    }

    private static URI stripFragment(URI uri) throws URISyntaxException {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String s = uri.toString();
        return new URI(s.substring(0, s.indexOf('#')));
    }

    private static String bareHost(URI uri) {
        String h = uri.getHost().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static EgressException invalid(String message) {
        return new EgressException(ErrorKind.INVALID_URL, message);
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }
}
