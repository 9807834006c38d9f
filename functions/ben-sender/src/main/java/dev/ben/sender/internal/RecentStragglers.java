package dev.ben.sender.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoints this container recently cut off as stragglers ({@link StragglerWatch}): notify does not wait for
 * them again for {@link #FOR}, but defers their deliveries to the retry function, which gives them the full HTTP
 * timeout. A receiver that hangs then costs one batch its grace, not every batch until its circuit opens, and a
 * slow but working receiver is still delivered, about a second later, instead of holding batches.
 */
public final class RecentStragglers {

    /** How long notify leaves a cut-off endpoint to the retry function. */
    public static final Duration FOR = Duration.ofSeconds(30);

    private final Map<String, Instant> cutOffAt = new ConcurrentHashMap<>();

    public void cutOff(String endpointId, Instant at) {
        cutOffAt.put(endpointId, at);
    }

    /** When the endpoint was cut off, if that was less than {@link #FOR} before {@code now}. */
    public Optional<Instant> since(String endpointId, Instant now) {
        Instant at = cutOffAt.get(endpointId);
        if (at == null) {
            return Optional.empty();
        }
        if (!now.isBefore(at.plus(FOR))) {
            cutOffAt.remove(endpointId, at);
            return Optional.empty();
        }
        return Optional.of(at);
    }
}
