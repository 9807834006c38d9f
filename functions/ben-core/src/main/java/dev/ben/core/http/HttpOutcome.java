package dev.ben.core.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What one HTTP attempt produced. Either a response ({@code errorKind == NONE}, {@code statusCode > 0}) or a
 * failure ({@code statusCode == 0}, {@code errorKind} and {@code errorDetail} say why).
 *
 * @param statusCode    HTTP status, 0 when no response
 * @param latency       from the start of the attempt to the response headers (or the failure)
 * @param bodySnippet   the start of the response body (UTF-8, at most the configured snippet size), for
 *                      diagnostics; never more than the body cap was read from the network
 * @param bodyTruncated true when the body was longer than what was read
 * @param retryAfter    raw {@code Retry-After} header value, empty when absent
 * @param location      raw {@code Location} header value (redirects are never followed), empty when absent
 * @param errorKind     failure class, {@link ErrorKind#NONE} for a response
 * @param errorDetail   short human-readable reason, empty for a response
 */
public record HttpOutcome(int statusCode, Duration latency, String bodySnippet, boolean bodyTruncated,
                          String retryAfter, String location, ErrorKind errorKind, String errorDetail) {
    public HttpOutcome {
        Objects.requireNonNull(latency, "latency");
        bodySnippet = bodySnippet == null ? "" : bodySnippet;
        retryAfter = retryAfter == null ? "" : retryAfter;
        location = location == null ? "" : location;
        Objects.requireNonNull(errorKind, "errorKind");
        errorDetail = errorDetail == null ? "" : errorDetail;
        if (errorKind == ErrorKind.NONE && (statusCode < 100 || statusCode > 999)) {
            throw new IllegalArgumentException("a response needs a status code in 100..999, got " + statusCode);
        }
        if (errorKind != ErrorKind.NONE && statusCode != 0) {
            throw new IllegalArgumentException("a failure has no status code, got " + statusCode);
        }
    }

    /** A received response. */
    public static HttpOutcome response(int statusCode, Duration latency, String bodySnippet, boolean bodyTruncated,
                                       String retryAfter, String location) {
        return new HttpOutcome(statusCode, latency, bodySnippet, bodyTruncated, retryAfter, location,
                ErrorKind.NONE, "");
    }

    /** A response with just a status, for tests and simple callers. */
    public static HttpOutcome status(int statusCode, Duration latency) {
        return response(statusCode, latency, "", false, "", "");
    }

    /** No response. */
    public static HttpOutcome failure(ErrorKind kind, String detail, Duration latency) {
        if (kind == ErrorKind.NONE) {
            throw new IllegalArgumentException("a failure needs an error kind other than NONE");
        }
        return new HttpOutcome(0, latency, "", false, "", "", kind, detail);
    }

    public boolean hasResponse() {
        return errorKind == ErrorKind.NONE;
    }

    public boolean successful() {
        return hasResponse() && statusCode >= 200 && statusCode < 300;
    }

    /** One line for {@code lastError} / logs, e.g. {@code "HTTP 503"} or {@code "TIMEOUT: no response in 10s"}. */
    public String summary() {
        if (hasResponse()) {
            return "HTTP " + statusCode;
        }
        return errorKind + (errorDetail.isEmpty() ? "" : ": " + errorDetail);
    }
}
