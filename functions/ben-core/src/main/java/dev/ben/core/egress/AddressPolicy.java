package dev.ben.core.egress;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where deliveries may go. Strict by default: only public addresses. Local development opens loopback and
 * private ranges explicitly ({@code BEN_ALLOW_PRIVATE_ADDRESSES=true}) or per block ({@code allowList}).
 * Metadata, unspecified, multicast, broadcast and reserved addresses are refused whatever the configuration.
 *
 * @param allowPrivate  open every {@link AddressRange#allowable() allowable} range (loopback, private, CGNAT,
 *                      link-local, unique-local)
 * @param allowList     blocks opened even when {@code allowPrivate} is false (still not the never-allowed
 *                      ranges)
 * @param httpsOnly     refuse {@code http://} URLs (on in deployed stacks)
 * @param maxUrlLength  longest accepted URL
 */
public record AddressPolicy(boolean allowPrivate, List<Cidr> allowList, boolean httpsOnly, int maxUrlLength) {

    public static final int DEFAULT_MAX_URL_LENGTH = 2048;

    public AddressPolicy {
        allowList = List.copyOf(Objects.requireNonNull(allowList, "allowList"));
        if (maxUrlLength < 16) {
            throw new IllegalArgumentException("maxUrlLength must be >= 16, got " + maxUrlLength);
        }
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
        return new AddressPolicy("true".equalsIgnoreCase(trim(allowPrivate)), List.of(),
                "true".equalsIgnoreCase(trim(httpsOnly)), DEFAULT_MAX_URL_LENGTH);
    }

    public AddressPolicy withAllowList(List<Cidr> cidrs) {
        return new AddressPolicy(allowPrivate, cidrs, httpsOnly, maxUrlLength);
    }

    public AddressPolicy withHttpsOnly(boolean on) {
        return new AddressPolicy(allowPrivate, allowList, on, maxUrlLength);
    }

    /** Why {@code address} is refused, or empty when it may be connected to. */
    public Optional<AddressRange> refusal(InetAddress address) {
        Optional<AddressRange> range = AddressClassifier.classify(address);
        if (range.isEmpty() || !range.get().allowable()) {
            return range;
        }
        if (allowPrivate || allowList.stream().anyMatch(c -> c.contains(address))) {
            return Optional.empty();
        }
        return range;
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
