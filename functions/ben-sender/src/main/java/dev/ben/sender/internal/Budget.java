package dev.ben.sender.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * How long an invocation may wait for receivers: its attempts end by {@code deadline} = start + the configured
 * budget, and never later than the invocation's remaining time minus a margin (room to write the outcomes and
 * enqueue the retries before Lambda stops the function).
 */
public record Budget(Instant deadline) {

    /** Below this, an attempt is not started (it would time out at once): the delivery waits in the queue instead. */
    public static final Duration SHORTEST_ATTEMPT = Duration.ofMillis(100);

    /**
     * @param remainingMillis the invocation's remaining time ({@code Context.getRemainingTimeInMillis()}), or a
     *                        negative number when unknown (no context)
     */
    public static Budget of(Instant start, Duration budget, long remainingMillis, Duration margin) {
        Instant end = start.plus(budget);
        if (remainingMillis >= 0) {
            Instant hardEnd = start.plusMillis(remainingMillis).minus(margin);
            if (hardEnd.isBefore(end)) {
                end = hardEnd;
            }
        }
        return new Budget(end);
    }

    /** Time left at {@code now}; zero or negative once used up. */
    public Duration left(Instant now) {
        return Duration.between(now, deadline);
    }

    public boolean allowsAttempt(Instant now) {
        return left(now).compareTo(SHORTEST_ATTEMPT) >= 0;
    }
}
