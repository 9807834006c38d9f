package dev.ben.core.webhooks;

import java.util.Map;

/**
 * The three Standard Webhooks headers of one signed message.
 *
 * @param id        {@code webhook-id}
 * @param timestamp {@code webhook-timestamp}, seconds since the epoch
 * @param signature {@code webhook-signature}, one {@code v1,<base64>} per secret, space separated
 */
public record SignedHeaders(String id, long timestamp, String signature) {

    /** The headers as a map keyed by the lower-case header names. */
    public Map<String, String> asMap() {
        return Map.of(WebhookHeaders.ID, id,
                WebhookHeaders.TIMESTAMP, Long.toString(timestamp),
                WebhookHeaders.SIGNATURE, signature);
    }
}
