package dev.ben.core.http;

/** Why an attempt produced no usable HTTP response (or {@link #NONE} when it did). */
public enum ErrorKind {
    /** A response (any status) was received. */
    NONE,
    /** The URL is malformed, not http(s), carries userinfo, is too long, or violates https-only. Permanent. */
    INVALID_URL,
    /** The host resolves to an address the egress policy refuses (private, loopback, metadata, …). Permanent. */
    BLOCKED_ADDRESS,
    /** The host name could not be resolved. */
    UNKNOWN_HOST,
    /** No TCP connection within the connect timeout. */
    CONNECT_TIMEOUT,
    /** The peer refused the connection. */
    CONNECTION_REFUSED,
    /** The peer reset or closed the connection before a complete status line and headers. */
    CONNECTION_RESET,
    /** Response headers did not arrive within the request timeout. */
    TIMEOUT,
    /** TLS handshake or certificate/host name verification failed. */
    TLS,
    /** The response was not valid HTTP/1.x (bad status line, oversized headers, …). */
    PROTOCOL,
    /** Any other I/O failure. */
    IO,
    /**
     * Sent, but the caller stopped waiting before an answer: the rest of its batch was done and this attempt had
     * outlived the straggler grace. Retried from the queue; the circuit breaker counts it as a timeout.
     */
    CUT_OFF;

    /** True for failures that no retry can fix (the URL itself is refused). */
    public boolean permanent() {
        return this == INVALID_URL || this == BLOCKED_ADDRESS;
    }
}
