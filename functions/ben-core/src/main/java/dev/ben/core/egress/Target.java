package dev.ben.core.egress;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A URL that passed the egress guard, with the addresses it resolved to — the only addresses the sender may
 * connect to (so a DNS answer that changes between check and connect cannot redirect the request).
 *
 * @param uri           the parsed URL (fragment dropped)
 * @param https         true for https
 * @param host          host name or IP literal (without IPv6 brackets), for Host, SNI and certificate checks
 * @param port          explicit or default port
 * @param requestTarget path and query as sent in the request line, e.g. {@code /hooks?x=1}
 * @param addresses     validated addresses, in resolver order
 */
public record Target(URI uri, boolean https, String host, int port, String requestTarget,
                     List<InetAddress> addresses) {
    public Target {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(requestTarget, "requestTarget");
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a target needs at least one address");
        }
    }

    /** The {@code Host} header value: host, bracketed if IPv6, with the port when not the default. */
    public String hostHeader() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        boolean defaultPort = https ? port == 443 : port == 80;
        return defaultPort ? h : h + ":" + port;
    }
}
