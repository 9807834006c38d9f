package dev.ben.core.http;

import java.util.Map;

/**
 * Produces the signature headers for one request. The Standard Webhooks implementation lives in
 * {@code dev.ben.core.webhooks}; this interface keeps the HTTP sender independent of it.
 */
@FunctionalInterface
public interface Signer {
    /**
     * @param messageId        the {@code webhook-id} (the event id, identical on every retry)
     * @param timestampSeconds the {@code webhook-timestamp}, Unix seconds, taken when the attempt starts
     * @param body             the exact body bytes' text that is sent
     * @return headers to add, e.g. {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}
     */
    Map<String, String> headers(String messageId, long timestampSeconds, String body);
}
