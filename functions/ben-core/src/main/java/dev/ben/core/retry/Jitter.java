package dev.ben.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Spreads retries so that many deliveries failing together do not retry together.
 * {@link #apply(Duration, double, double)} is pure; an instance binds a factor and a random source
 * (injected: tests pass a fixed supplier).
 *
 * @param factor relative spread in [0, 1]: the result lies in {@code base × [1 − factor, 1 + factor)}
 * @param random source of uniform values in [0, 1)
 */
public record Jitter(double factor, DoubleSupplier random) {

    public Jitter {
        if (!(factor >= 0 && factor <= 1)) {
            throw new IllegalArgumentException("jitter factor must be within [0, 1], got " + factor);
        }
        Objects.requireNonNull(random, "random");
    }

    /** ±10 % with {@link ThreadLocalRandom}. */
    public static Jitter defaults() {
        return new Jitter(0.1, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** No jitter. */
    public static Jitter none() {
        return new Jitter(0, () -> 0.5);
    }

    public Duration apply(Duration base) {
        return apply(base, factor, random.getAsDouble());
    }

    /**
     * {@code base × (1 + factor × (2·unit − 1))}, millisecond precision, never below 1 ms.
     *
     * @param unit a value in [0, 1); 0.5 leaves {@code base} unchanged
     */
    public static Duration apply(Duration base, double factor, double unit) {
        if (!(unit >= 0 && unit < 1)) {
            throw new IllegalArgumentException("random unit must be within [0, 1), got " + unit);
        }
        double scale = 1 + factor * (2 * unit - 1);
        long ms = Math.round(base.toMillis() * scale);
        return Duration.ofMillis(Math.max(1, ms));
    }
}
