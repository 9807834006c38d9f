package dev.ben.core.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * When to retry a failed delivery: a pure function {@code attemptsMade → delay}, in the style of
 * resilience4j's {@code IntervalFunction}, with no clock inside.
 *
 * <p>{@code delays.get(i)} is the wait after the {@code (i+1)}-th failed attempt, so a schedule of
 * {@code n} delays allows {@code n + 1} attempts. The default is WeChat Pay's: 15s, 15s, 30s, 3m, 10m,
 * 20m, 30m, 30m, 30m, 1h, 3h, 3h, 3h, 6h, 6h — 16 attempts over 24 h 4 min.
 *
 * <p>{@code maxAge} bounds a delivery's life independently of the attempt count (time spent in
 * honoured {@code Retry-After} waits, lost enqueues re-driven by the sweeper, …): no attempt is
 * scheduled after {@code createdAt + maxAge}.
 *
 * @param delays the waits, each {@code > 0}, at least one
 * @param maxAge the delivery's maximum age
 */
public record RetrySchedule(List<Duration> delays, Duration maxAge) {

    /** The default schedule, as a string accepted by {@link #parse(String)}. */
    public static final String DEFAULT_SPEC = "15s,15s,30s,3m,10m,20m,30m,30m,30m,1h,3h,3h,3h,6h,6h";

    /** Minimum slack of the default max age over the schedule's total. */
    public static final Duration MIN_MAX_AGE_SLACK = Duration.ofHours(1);

    private static final RetrySchedule DEFAULT = parse(DEFAULT_SPEC);

    public RetrySchedule {
        Objects.requireNonNull(delays, "delays");
        delays = List.copyOf(delays);
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one delay");
        }
        for (Duration d : delays) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("retry delays must be positive, got " + d);
            }
        }
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
        }
    }

    /** WeChat Pay's schedule (24 h 4 min), max age twice the total (48 h 8 min). */
    public static RetrySchedule defaults() {
        return DEFAULT;
    }

    /**
     * A schedule with these delays and the default max age: twice their sum, but at least their sum plus one
     * hour (so a compressed test schedule of milliseconds is not cut short by queue granularity and
     * scheduling delays).
     */
    public static RetrySchedule of(List<Duration> delays) {
        Duration total = delays.stream().reduce(Duration.ZERO, Duration::plus);
        Duration twice = total.multipliedBy(2);
        Duration padded = total.plus(MIN_MAX_AGE_SLACK);
        return new RetrySchedule(delays, twice.compareTo(padded) >= 0 ? twice : padded);
    }

    /**
     * Parses {@code "15s,3m,1h"}: comma separated durations, each a number with a unit
     * ({@code ms}, {@code s}, {@code m}, {@code h}, {@code d}) or an ISO-8601 duration ({@code PT15S}).
     * Max age: as {@link #of(List)}.
     *
     * @throws IllegalArgumentException naming the bad element and the accepted forms
     */
    public static RetrySchedule parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("retry schedule is empty; expected e.g. \"" + DEFAULT_SPEC + "\"");
        }
        List<Duration> delays = new ArrayList<>();
        for (String part : spec.split(",")) {
            delays.add(parseDuration(part.trim()));
        }
        return of(delays);
    }

    /** Parses one duration: {@code 500ms}, {@code 15s}, {@code 3m}, {@code 1h}, {@code 2d} or ISO-8601 {@code PT15S}. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (!t.isEmpty()) {
                long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
                switch (t.charAt(t.length() - 1)) {
                    case 's': return Duration.ofSeconds(n);
                    case 'm': return Duration.ofMinutes(n);
                    case 'h': return Duration.ofHours(n);
                    case 'd': return Duration.ofDays(n);
                    default: break;
                }
            }
        } catch (RuntimeException e) {
            // fall through to the clear message below
        }
        throw new IllegalArgumentException("bad duration \"" + text
                + "\" in retry schedule; use a number with ms/s/m/h/d (e.g. 15s, 3m, 1h) or ISO-8601 (PT15S)");
    }

    public RetrySchedule withMaxAge(Duration newMaxAge) {
        return new RetrySchedule(delays, newMaxAge);
    }

    /** Attempts allowed in total: the first one plus one per delay. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /** True when {@code attemptsMade} attempts used up the schedule (no further attempt is allowed). */
    public boolean exhausted(int attemptsMade) {
        return attemptsMade >= maxAttempts();
    }

    /**
     * The wait after the {@code attemptsMade}-th failed attempt (1-based), or empty when the schedule is
     * exhausted.
     */
    public Optional<Duration> delayAfter(int attemptsMade) {
        if (attemptsMade < 1) {
            throw new IllegalArgumentException("attemptsMade starts at 1, got " + attemptsMade);
        }
        return exhausted(attemptsMade) ? Optional.empty() : Optional.of(delays.get(attemptsMade - 1));
    }

    /** Sum of all delays: the time from the first attempt to the last, ignoring request latency. */
    public Duration total() {
        return delays.stream().reduce(Duration.ZERO, Duration::plus);
    }

    /** The schedule in {@link #parse(String)} form, e.g. {@code 15s,15s,30s,3m}. */
    public String spec() {
        StringBuilder sb = new StringBuilder();
        for (Duration d : delays) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(format(d));
        }
        return sb.toString();
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0) return ms / 60_000L + "m";
        if (ms % 1_000L == 0) return ms / 1_000L + "s";
        return ms + "ms";
    }
}
