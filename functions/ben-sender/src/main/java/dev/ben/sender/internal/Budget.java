package dev.ben.sender.internal;

import dev.ben.core.http.CutOff;
import java.time.Duration;
import java.time.Instant;

/**
 * How long an invocation may wait for receivers: its attempts end by {@code deadline} = start + the configured
 * budget, and never later than the invocation's remaining time minus a margin (room to write the outcomes and
 * enqueue the retries before Lambda stops the function). One attempt's budget may also carry its {@link CutOff}:
 * the caller can end that attempt sooner (a straggler of a batch otherwise done).
 */
public record Budget(Instant deadline, CutOff cutOff) {

    public Budget(Instant deadline) {
        this(deadline, new CutOff());
    }

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
        return cutOff.reason().isEmpty() && left(now).compareTo(SHORTEST_ATTEMPT) >= 0;
    }

    /** The same deadline for one attempt that {@code cutOff} may end sooner. */
    public Budget forAttempt(CutOff attemptCutOff) {
        return new Budget(deadline, attemptCutOff);
    }
}
