package dev.ben.core.http;

import java.time.Duration;
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
 */
public record WebhookRequest(String url, String messageId, String body, Signer signer, Duration timeout) {
    public WebhookRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(signer, "signer");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** A request bounded by the sender's own request timeout. */
    public WebhookRequest(String url, String messageId, String body, Signer signer) {
        this(url, messageId, body, signer, null);
    }

    /** The same request with its own deadline (e.g. what is left of an invocation's time budget). */
    public WebhookRequest withTimeout(Duration budget) {
        return new WebhookRequest(url, messageId, body, signer, budget);
    }

    @Override
    public String toString() {
        return "WebhookRequest[url=" + url + ", messageId=" + messageId + ", body=<" + body.length() + " chars>]";
    }
}
