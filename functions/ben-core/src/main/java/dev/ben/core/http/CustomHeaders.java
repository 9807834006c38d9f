package dev.ben.core.http;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An endpoint's own headers, sent with each of its deliveries. They can never replace a header Ben sets (the
 * Standard Webhooks headers, the body's framing, the connection's): such names are refused when written
 * ({@link #problem}) and dropped again when sending ({@link #sendable}), in case a row was written around the check.
 */
public final class CustomHeaders {

    public static final int MAX_COUNT = 20;
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_VALUE_LENGTH = 1024;
    public static final int MAX_TOTAL_BYTES = 4096;

    /** Set by Ben on every request (lower case); any {@code webhook-*} and {@code proxy-*} name is reserved too. */
    public static final Set<String> RESERVED = Set.of("webhook-id", "webhook-timestamp", "webhook-signature",
            "content-type", "content-length", "content-encoding", "host", "user-agent", "accept", "connection",
            "transfer-encoding", "te", "trailer", "upgrade", "expect", "keep-alive");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1," + MAX_NAME_LENGTH + "}");
    /** Visible ASCII, with spaces and tabs inside only. */
    private static final Pattern VALUE = Pattern.compile("([\\x21-\\x7e]([\\x20\\x09\\x21-\\x7e]*[\\x21-\\x7e])?)?");

    private CustomHeaders() {
    }

    public static boolean reserved(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return RESERVED.contains(lower) || lower.startsWith("webhook-") || lower.startsWith("proxy-");
    }

    /** What is wrong with these headers (the first problem found), empty when they may be stored. */
    public static Optional<String> problem(Map<String, String> headers) {
        if (headers.size() > MAX_COUNT) {
            return Optional.of("at most " + MAX_COUNT + " custom headers, got " + headers.size());
        }
        int total = 0;
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            Optional<String> wrong = problem(h.getKey(), h.getValue());
            if (wrong.isPresent()) {
                return wrong;
            }
            if (!seen.add(h.getKey().toLowerCase(Locale.ROOT))) {
                return Optional.of("header '" + h.getKey() + "' is given twice (names are case-insensitive)");
            }
            total += h.getKey().getBytes(StandardCharsets.UTF_8).length
                    + h.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > MAX_TOTAL_BYTES) {
            return Optional.of("custom headers take " + total + " bytes (names and values); at most "
                    + MAX_TOTAL_BYTES);
        }
        return Optional.empty();
    }

    private static Optional<String> problem(String name, String value) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.of("header name '" + name + "' is not an HTTP token of 1-" + MAX_NAME_LENGTH
                    + " characters (letters, digits and !#$%&'*+.^_`|~-)");
        }
        if (reserved(name)) {
            return Optional.of("header '" + name + "' is set by Ben and cannot be overridden (reserved: "
                    + String.join(", ", RESERVED.stream().sorted().toList()) + ", webhook-*, proxy-*)");
        }
        if (value == null || value.length() > MAX_VALUE_LENGTH) {
            return Optional.of("header '" + name + "': values are at most " + MAX_VALUE_LENGTH + " characters");
        }
        if (!VALUE.matcher(value).matches()) {
            return Optional.of("header '" + name + "': the value must be visible ASCII (spaces and tabs only "
                    + "inside), without line breaks");
        }
        return Optional.empty();
    }

    /** The headers that may be sent: reserved or malformed ones are left out. */
    public static Map<String, String> sendable(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (problem(name, value).isEmpty() && out.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
                out.put(name, value);
            }
        });
        return out;
    }
}
