package dev.ben.core.http;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One POST to make.
 *
 * @param url       endpoint URL (checked by the egress guard before connecting)
 * @param messageId the {@code webhook-id}: the event id
 * @param body      JSON body, sent as UTF-8 with {@code Content-Type: application/json}
 * @param signer    signs this request (per endpoint: its secrets); the timestamp is taken at send time
 * @param timeout   this attempt's own deadline (the caller's time budget), never beyond the sender's request
 *                  timeout; {@code null} = the sender's request timeout
 * @param headers   the endpoint's custom headers; the sender leaves out any it sets itself ({@link CustomHeaders})
 */
public record WebhookRequest(String url, String messageId, String body, Signer signer, Duration timeout,
                             Map<String, String> headers) {
    public WebhookRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(signer, "signer");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A request without custom headers. */
    public WebhookRequest(String url, String messageId, String body, Signer signer, Duration timeout) {
        this(url, messageId, body, signer, timeout, Map.of());
    }

    /** A request bounded by the sender's own request timeout. */
    public WebhookRequest(String url, String messageId, String body, Signer signer) {
        this(url, messageId, body, signer, null, Map.of());
    }

    /** The same request with its own deadline (e.g. what is left of an invocation's time budget). */
    public WebhookRequest withTimeout(Duration budget) {
        return new WebhookRequest(url, messageId, body, signer, budget, headers);
    }

    /** The same request with the endpoint's custom headers. */
    public WebhookRequest withHeaders(Map<String, String> custom) {
        return new WebhookRequest(url, messageId, body, signer, timeout, custom);
    }

    @Override
    public String toString() {
        return "WebhookRequest[url=" + url + ", messageId=" + messageId + ", body=<" + body.length() + " chars>"
                + (headers.isEmpty() ? "" : ", headers=" + headers.keySet()) + "]";
    }
}
