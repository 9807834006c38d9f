package dev.ben.core.egress;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where deliveries may go. Strict by default: only public addresses. Local development opens loopback and
 * private ranges explicitly ({@code BEN_ALLOW_PRIVATE_ADDRESSES=true}), per block ({@code allowList}) or per host
 * name ({@code allowedHosts}, {@code BEN_ALLOWED_HOSTS}).
 * Metadata, unspecified, multicast, broadcast and reserved addresses are refused whatever the configuration.
 *
 * @param allowPrivate  open every {@link AddressRange#allowable() allowable} range (loopback, private, CGNAT,
 *                      link-local, unique-local)
 * @param allowList     blocks opened even when {@code allowPrivate} is false (still not the never-allowed
 *                      ranges)
 * @param allowedHosts  host names (lower case, exact match) whose addresses may be in the allowable ranges
 *                      ({@code BEN_ALLOWED_HOSTS}); still not the never-allowed ranges
 * @param httpsOnly     refuse {@code http://} URLs (on in deployed stacks)
 * @param maxUrlLength  longest accepted URL
 */
public record AddressPolicy(boolean allowPrivate, List<Cidr> allowList, Set<String> allowedHosts, boolean httpsOnly,
                            int maxUrlLength) {

    public static final int DEFAULT_MAX_URL_LENGTH = 2048;

    public AddressPolicy {
        allowList = List.copyOf(Objects.requireNonNull(allowList, "allowList"));
        allowedHosts = Objects.requireNonNull(allowedHosts, "allowedHosts").stream().map(AddressPolicy::normalizeHost)
                .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
        if (maxUrlLength < 16) {
            throw new IllegalArgumentException("maxUrlLength must be >= 16, got " + maxUrlLength);
        }
    }

    /** Without host exceptions. */
    public AddressPolicy(boolean allowPrivate, List<Cidr> allowList, boolean httpsOnly, int maxUrlLength) {
        this(allowPrivate, allowList, Set.of(), httpsOnly, maxUrlLength);
    }

    /** Public addresses only, http and https. */
    public static AddressPolicy strict() {
        return new AddressPolicy(false, List.of(), false, DEFAULT_MAX_URL_LENGTH);
    }

    /** Public addresses only, https only: what a deployed stack uses. */
    public static AddressPolicy deployed() {
        return new AddressPolicy(false, List.of(), true, DEFAULT_MAX_URL_LENGTH);
    }

    /** Loopback and private ranges allowed, http allowed: local development and tests only. */
    public static AddressPolicy localDevelopment() {
        return new AddressPolicy(true, List.of(), false, DEFAULT_MAX_URL_LENGTH);
    }

    /**
     * From configuration values (e.g. env vars {@code BEN_ALLOW_PRIVATE_ADDRESSES}, {@code BEN_HTTPS_ONLY}):
     * {@code "true"} (case-insensitive) switches on, anything else (or null) off.
     */
    public static AddressPolicy fromSettings(String allowPrivate, String httpsOnly) {
        return fromSettings(allowPrivate, httpsOnly, "");
    }

    /**
     * As {@link #fromSettings(String, String)}, plus {@code allowedHosts}: comma separated host names
     * ({@code BEN_ALLOWED_HOSTS}) exempt from the private-range block.
     */
    public static AddressPolicy fromSettings(String allowPrivate, String httpsOnly, String allowedHosts) {
        Set<String> hosts = Arrays.stream(trim(allowedHosts).split(",")).map(String::trim)
                .filter(h -> !h.isEmpty()).collect(Collectors.toSet());
        return new AddressPolicy("true".equalsIgnoreCase(trim(allowPrivate)), List.of(), hosts,
                "true".equalsIgnoreCase(trim(httpsOnly)), DEFAULT_MAX_URL_LENGTH);
    }

    public AddressPolicy withAllowList(List<Cidr> cidrs) {
        return new AddressPolicy(allowPrivate, cidrs, allowedHosts, httpsOnly, maxUrlLength);
    }

    public AddressPolicy withAllowedHosts(Set<String> hosts) {
        return new AddressPolicy(allowPrivate, allowList, hosts, httpsOnly, maxUrlLength);
    }

    public AddressPolicy withHttpsOnly(boolean on) {
        return new AddressPolicy(allowPrivate, allowList, allowedHosts, on, maxUrlLength);
    }

    /** Why {@code address} is refused, or empty when it may be connected to (no host exception applies). */
    public Optional<AddressRange> refusal(InetAddress address) {
        return refusal("", address);
    }

    /** Why {@code address}, resolved from {@code host}, is refused, or empty when it may be connected to. */
    public Optional<AddressRange> refusal(String host, InetAddress address) {
        Optional<AddressRange> range = AddressClassifier.classify(address);
        if (range.isEmpty() || !range.get().allowable()) {
            return range;
        }
        if (allowPrivate || allowList.stream().anyMatch(c -> c.contains(address))
                || (!host.isEmpty() && allowedHosts.contains(normalizeHost(host)))) {
            return Optional.empty();
        }
        return range;
    }

    private static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
