package dev.ben.core.http;

import java.util.Objects;

/**
 * One POST to make.
 *
 * @param url       endpoint URL (checked by the egress guard before connecting)
 * @param messageId the {@code webhook-id}: the event id
 * @param body      JSON body, sent as UTF-8 with {@code Content-Type: application/json}
 * @param signer    signs this request (per endpoint: its secrets); the timestamp is taken at send time
 */
public record WebhookRequest(String url, String messageId, String body, Signer signer) {
    public WebhookRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(signer, "signer");
    }

    @Override
    public String toString() {
        return "WebhookRequest[url=" + url + ", messageId=" + messageId + ", body=<" + body.length() + " chars>]";
    }
}
