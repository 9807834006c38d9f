package dev.ben.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tenant (a merchant, a customer account): whose events are whose, and where per-record URLs may point.
 *
 * <p>{@link #toString()} never prints the secrets.
 *
 * @param id           tenant id, as the source records carry it
 * @param allowedHosts host names per-record URLs of this tenant may use: exact names ({@code pay.example.com}) or
 *                     {@code *.suffix} patterns ({@code *.example.com} matches {@code a.example.com} and
 *                     {@code a.b.example.com}, not {@code example.com}); compared case-insensitively
 * @param secrets      1–2 signing secrets {@code whsec_…} for deliveries to per-record URLs (two during rotation)
 */
public record Tenant(String id, List<String> allowedHosts, List<String> secrets) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    /** What a valid tenant id looks like, for error messages. */
    public static final String ID_RULE = "1-128 of letters, digits and ._:@-, starting with a letter or digit";

    public Tenant {
        Event.requireText(id, "id");
        if (!validId(id)) {
            throw new IllegalArgumentException("tenant id '" + id + "' is not valid: " + ID_RULE);
        }
        allowedHosts = List.copyOf(Objects.requireNonNull(allowedHosts, "allowedHosts")).stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        for (String h : allowedHosts) {
            if (!HOST.matcher(h).matches()) {
                throw new IllegalArgumentException("tenant " + id + ": allowed host '" + h + "' is not a host name or a"
                        + " *.suffix pattern (e.g. pay.example.com, *.example.com)");
            }
        }
        secrets = List.copyOf(Objects.requireNonNull(secrets, "secrets"));
        if (secrets.isEmpty() || secrets.size() > 2) {
            throw new IllegalArgumentException("tenant " + id + " needs 1 or 2 signing secrets, got " + secrets.size());
        }
        for (String s : secrets) {
            if (!s.startsWith(Endpoint.SECRET_PREFIX) || s.length() <= Endpoint.SECRET_PREFIX.length()) {
                throw new IllegalArgumentException("tenant " + id + ": signing secrets must look like "
                        + Endpoint.SECRET_PREFIX + "<base64>");
            }
        }
    }

    /**
     * Whether {@code id} can be a tenant's id. The first character is a letter or digit, so no id is {@code _} (the
     * management API's path segment for "no tenant") or {@code .}/{@code ..} (which URL paths would resolve away).
     */
    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Whether a per-record URL with this host may be used for this tenant. */
    public boolean allowsHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String pattern : allowedHosts) {
            if (pattern.startsWith("*.") ? h.endsWith(pattern.substring(1)) && h.length() > pattern.length() - 1
                    : pattern.equals(h)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Tenant[id=" + id + ", allowedHosts=" + allowedHosts + ", secrets=<" + secrets.size() + " redacted>]";
    }
}
