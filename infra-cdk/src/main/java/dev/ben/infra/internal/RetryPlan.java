package dev.ben.infra.internal;

import dev.ben.settings.BenSettings;
import dev.ben.settings.QueueSpec;
import dev.ben.settings.Trigger.QueueTrigger;
import java.time.Duration;
import java.util.List;

/**
 * Checks that a retry schedule fits the retry queue. Every wait is a chain of delayed messages of at most 15 minutes
 * (SQS's DelaySeconds), never a hidden one, so neither a step's length, nor the schedule's total, nor its number of
 * steps meets an SQS limit; what must hold is that one hop outlives neither the queue's retention nor SQS's own
 * bounds.
 */
public final class RetryPlan {

    /** SQS's longest visibility timeout. */
    public static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    public static final Duration MAX_RETENTION = Duration.ofDays(14);
    public static final Duration MIN_RETENTION = Duration.ofMinutes(1);
    /** The longest hop of a wait: SQS's maximum DelaySeconds. */
    public static final Duration MAX_HOP = Duration.ofMinutes(15);

    private RetryPlan() {
    }

    /** The queues that carry retries: consumed by a function and redriven to a dead-letter queue. */
    public static List<QueueSpec> retryQueues(BenSettings settings) {
        return settings.functions().stream()
                .flatMap(f -> f.triggers().stream())
                .filter(QueueTrigger.class::isInstance)
                .map(t -> settings.queue(((QueueTrigger) t).queue()))
                .filter(q -> q.redriveTarget().isPresent())
                .distinct()
                .toList();
    }

    /** Throws with a message saying what to change when the schedule does not fit the queue. */
    public static void check(List<Duration> schedule, QueueSpec queue, Duration retention) {
        if (retention.compareTo(MIN_RETENTION) < 0 || retention.compareTo(MAX_RETENTION) > 0) {
            throw new IllegalArgumentException("Retry queue retention " + retention + " of '" + queue.logicalName()
                    + "' must be between 1 minute and 14 days (SQS limits)");
        }
        if (queue.visibilityTimeout().compareTo(MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("Visibility timeout of '" + queue.logicalName() + "' exceeds 12 h");
        }
        Duration hop = MAX_HOP.plus(queue.visibilityTimeout());
        if (retention.compareTo(hop) <= 0) {
            throw new IllegalArgumentException("Retry queue retention " + retention + " of '" + queue.logicalName()
                    + "' must exceed one hop of a wait (15 min delay + " + queue.visibilityTimeout()
                    + " visibility): a delayed message would expire before it is received");
        }
        for (int i = 0; i < schedule.size(); i++) {
            if (schedule.get(i).isNegative()) {
                throw new IllegalArgumentException("Retry step " + (i + 1) + " (" + schedule.get(i)
                        + ") is negative");
            }
        }
    }
}
