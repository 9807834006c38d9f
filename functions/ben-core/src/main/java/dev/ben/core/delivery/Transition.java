package dev.ben.core.delivery;

import dev.ben.core.model.Attempt;
import dev.ben.core.model.Delivery;
import java.util.Objects;

/**
 * What to write after deciding on a delivery.
 *
 * @param delivery       the delivery's new state (status, attempts, next attempt, last status/error)
 * @param result         the verdict (drives queue actions and metrics)
 * @param endpointUpdate what to write on the endpoint
 * @param attempt        the attempt to append to the history; {@code null} when no HTTP attempt was made
 *                       (cancel, reject before sending, defer, park)
 */
public record Transition(Delivery delivery, DeliveryResult result, EndpointUpdate endpointUpdate, Attempt attempt) {
    public Transition {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(endpointUpdate, "endpointUpdate");
    }

    public boolean hasAttempt() {
        return attempt != null;
    }
}
