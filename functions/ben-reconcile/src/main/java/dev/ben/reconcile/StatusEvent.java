package dev.ben.reconcile;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One of an entity's events as A's status API lists it ({@code GET /entities/{id}/events}).
 *
 * @param eventId   the event id, which is the {@code webhook-id} of its deliveries (the idempotency key)
 * @param type      the event type
 * @param version   the entity's version, when A's rule has a version attribute
 * @param sequence  the stream sequence number (digits), when known
 * @param createdAt when A recorded it
 * @param payload   the exact body A POSTs for it (the raw JSON), so its SHA-256 matches the webhook's
 */
public record StatusEvent(String eventId, String type, Optional<BigInteger> version, Optional<BigInteger> sequence,
        Instant createdAt, String payload) {

    public StatusEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(payload, "payload");
    }

    /** Its place in the entity's history: the version, else the stream sequence, else zero. */
    public BigInteger position() {
        return version.or(() -> sequence).orElse(BigInteger.ZERO);
    }

    public byte[] payloadBytes() {
        return payload.getBytes(StandardCharsets.UTF_8);
    }
}
