package dev.ben.core.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of {@link HttpWebhookSender}.
 *
 * @param connectTimeout  TCP connect (per resolved address tried)
 * @param requestTimeout  hard deadline for the whole attempt: connect, TLS, writing the request, reading the
 *                        status line and headers, and reading the body snippet; enforced by closing the socket
 * @param maxBodyBytes    most response body bytes read from the network; the rest is never read (the connection
 *                        is closed)
 * @param snippetChars    most body characters kept in {@link HttpOutcome#bodySnippet()}
 * @param maxConcurrency  parallel requests in {@link WebhookSender#sendAll}
 * @param userAgent       {@code User-Agent} header
 */
public record SenderConfig(Duration connectTimeout, Duration requestTimeout, int maxBodyBytes, int snippetChars,
                           int maxConcurrency, String userAgent) {

    public static final int MAX_HEADER_BYTES = 32 * 1024;

    public SenderConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxBodyBytes < 0 || snippetChars < 0) {
            throw new IllegalArgumentException("maxBodyBytes and snippetChars must be >= 0");
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + maxConcurrency);
        }
        Objects.requireNonNull(userAgent, "userAgent");
    }

    /** Connect 3 s, whole attempt 10 s, body read capped at 64 KiB, 1 KiB snippet, 64 in parallel. */
    public static SenderConfig defaults() {
        return new SenderConfig(Duration.ofSeconds(3), Duration.ofSeconds(10), 64 * 1024, 1024, 64,
                "Ben-Webhooks/0.1");
    }

    public SenderConfig withTimeouts(Duration connect, Duration request) {
        return new SenderConfig(connect, request, maxBodyBytes, snippetChars, maxConcurrency, userAgent);
    }

    public SenderConfig withMaxConcurrency(int n) {
        return new SenderConfig(connectTimeout, requestTimeout, maxBodyBytes, snippetChars, n, userAgent);
    }

    public SenderConfig withMaxBodyBytes(int n) {
        return new SenderConfig(connectTimeout, requestTimeout, n, snippetChars, maxConcurrency, userAgent);
    }
}
