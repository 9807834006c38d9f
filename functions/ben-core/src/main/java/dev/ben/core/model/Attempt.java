package dev.ben.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One HTTP attempt of a delivery, for the per-attempt history.
 *
 * @param deliveryId the delivery
 * @param number     1-based attempt number
 * @param at         when the attempt started
 * @param statusCode HTTP status, or 0 when no response was received
 * @param latency    time from start to response headers (or to the failure)
 * @param error      empty when the attempt succeeded; otherwise a short reason (never secrets)
 */
public record Attempt(String deliveryId, int number, Instant at, int statusCode, Duration latency, String error) {
    public Attempt {
        Event.requireText(deliveryId, "deliveryId");
        if (number < 1) {
            throw new IllegalArgumentException("attempt number starts at 1, got " + number);
        }
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(latency, "latency");
        error = error == null ? "" : error;
    }
}
