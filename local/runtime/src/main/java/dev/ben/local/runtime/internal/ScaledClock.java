package dev.ben.local.runtime.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** A clock that starts at the base clock's now and runs {@code factor} times faster (time compression for demos/tests). */
public final class ScaledClock extends Clock {
    private final Instant origin;
    private final long originNanos;
    private final double factor;
    private final ZoneId zone;

    public ScaledClock(Clock base, double factor) {
        this(base.instant(), System.nanoTime(), factor, base.getZone());
    }

    private ScaledClock(Instant origin, long originNanos, double factor, ZoneId zone) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("time scale factor must be positive, got " + factor);
        }
        this.origin = origin;
        this.originNanos = originNanos;
        this.factor = factor;
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new ScaledClock(origin, originNanos, factor, zone);
    }

    @Override
    public Instant instant() {
        long elapsed = System.nanoTime() - originNanos;
        return origin.plus(Duration.ofNanos((long) (elapsed * factor)));
    }
}
