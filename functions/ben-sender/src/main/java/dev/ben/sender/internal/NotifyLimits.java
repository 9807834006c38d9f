package dev.ben.sender.internal;

import java.time.Duration;

/**
 * How long notify waits for receivers, and for which.
 *
 * @param budget         the longest an invocation waits for receivers
 * @param margin         kept free of attempts at the end of the invocation's remaining time
 * @param slots          the per-endpoint concurrency cap
 * @param stragglerGrace how long the attempts still in flight get once the rest of the batch is done (zero: until
 *                       the budget ends), see {@link StragglerWatch}
 */
public record NotifyLimits(Duration budget, Duration margin, EndpointSlots slots, Duration stragglerGrace) {

    public static NotifyLimits defaults() {
        return new NotifyLimits(SenderConfig.DEFAULT_NOTIFY_BUDGET, SenderConfig.DEFAULT_BUDGET_MARGIN,
                new EndpointSlots(SenderConfig.DEFAULT_ENDPOINT_CONCURRENCY), SenderConfig.DEFAULT_STRAGGLER_GRACE);
    }
}
