package dev.ben.receiver.kit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A verified webhook handed to the user's handler.
 *
 * @param id        the {@code webhook-id}, identical on every retry of the message (the idempotency key)
 * @param timestamp the signed {@code webhook-timestamp}
 * @param body      the raw body exactly as signed
 */
public record WebhookMessage(String id, Instant timestamp, byte[] body) {

    public WebhookMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
