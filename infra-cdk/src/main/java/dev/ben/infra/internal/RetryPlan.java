package dev.ben.infra.internal;

import dev.ben.settings.BenSettings;
import dev.ben.settings.QueueSpec;
import dev.ben.settings.Trigger.QueueTrigger;
import java.time.Duration;
import java.util.List;

/**
 * Checks that a retry schedule fits the retry queue: SQS holds a message at most 12 h invisible and at most
 * 14 days in total, and the queue's redrive must not cut the schedule short.
 */
public final class RetryPlan {

    public static final Duration MAX_STEP = Duration.ofHours(12);
    public static final Duration MAX_RETENTION = Duration.ofDays(14);
    public static final Duration MIN_RETENTION = Duration.ofMinutes(1);

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
        if (queue.visibilityTimeout().compareTo(MAX_STEP) > 0) {
            throw new IllegalArgumentException("Visibility timeout of '" + queue.logicalName() + "' exceeds 12 h");
        }
        if (schedule.isEmpty()) {
            return;
        }
        for (int i = 0; i < schedule.size(); i++) {
            Duration step = schedule.get(i);
            if (step.isNegative() || step.compareTo(MAX_STEP) > 0) {
                throw new IllegalArgumentException("Retry step " + (i + 1) + " (" + Durations.format(step)
                        + ") must be between 0 and 12h: SQS cannot hide a message longer (ChangeMessageVisibility)");
            }
        }
        if (schedule.size() >= queue.maxReceiveCount()) {
            throw new IllegalArgumentException("Retry schedule has " + schedule.size() + " steps but '"
                    + queue.logicalName() + "' moves a message to its dead-letter queue after "
                    + queue.maxReceiveCount() + " receives: shorten the schedule or raise maxReceiveCount");
        }
        Duration total = schedule.stream().reduce(Duration.ZERO, Duration::plus);
        if (total.compareTo(retention) >= 0) {
            throw new IllegalArgumentException("Retry schedule spans " + total + " but '" + queue.logicalName()
                    + "' keeps messages " + retention + ": raise retryQueueRetention (≤ 14 days) or shorten it");
        }
    }
}
