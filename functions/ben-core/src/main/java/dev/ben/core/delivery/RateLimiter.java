package dev.ben.core.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-endpoint rate limit ({@code Endpoint.rateLimitPerSecond}) as token buckets: capacity = one second's
 * worth of requests, refilled continuously. Never sleeps: it answers how long to wait, and the caller defers
 * the delivery (e.g. through the retry queue, without counting an attempt). State is per process (one Lambda
 * container), so the limit is per container — a best-effort smoothing, not a global guarantee.
 */
public final class RateLimiter {

    private record Bucket(double tokens, Instant at) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Takes a permit if one is available: {@link Duration#ZERO} means go now; otherwise the wait until the next
     * permit (nothing is taken). {@code perSecond <= 0} means unlimited.
     */
    public Duration tryAcquire(String endpointId, int perSecond) {
        return take(endpointId, perSecond, false);
    }

    /**
     * Books the next slot even if it lies in the future and returns when it is ({@link Duration#ZERO} = now):
     * calling it for k deliveries at once spreads them {@code 1/perSecond} apart after the burst.
     */
    public Duration reserve(String endpointId, int perSecond) {
        return take(endpointId, perSecond, true);
    }

    private Duration take(String endpointId, int perSecond, boolean book) {
        if (perSecond <= 0) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        double[] wait = new double[1];
        buckets.compute(endpointId, (id, b) -> {
            double tokens = b == null ? perSecond
                    : Math.min(perSecond, b.tokens() + seconds(b.at(), now) * perSecond);
            if (tokens >= 1) {
                wait[0] = 0;
                return new Bucket(tokens - 1, now);
            }
            wait[0] = (1 - tokens) / perSecond;
            return new Bucket(book ? tokens - 1 : tokens, now);
        });
        return Duration.ofNanos((long) Math.ceil(wait[0] * 1e9));
    }

    private static double seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toNanos() / 1e9);
    }
}
