package dev.ben.local.stack.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** One HTTP header line, name as received (header names compare case-insensitively). */
public record Header(String name, String value) {

    /**
     * Hop-by-hop headers and the framing of one connection: they describe a connection, not the message, so
     * the layer never copies them from one side to the other (RFC 9110 §7.6.1). {@code Expect} is answered by
     * the layer's own HTTP server before the body arrives.
     */
    private static final Set<String> CONNECTION_SPECIFIC = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "te", "trailer", "upgrade", "proxy-connection", "expect");

    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    boolean connectionSpecific() {
        return CONNECTION_SPECIFIC.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The first value of {@code name} in {@code headers}, or {@code null}. */
    static String first(List<Header> headers, String name) {
        for (Header header : headers) {
            if (header.is(name)) {
                return header.value();
            }
        }
        return null;
    }
}
