package dev.ben.sender.internal;

import dev.ben.core.retry.RetrySchedule;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a retry plan against what SQS can hold, where it is written (the global schedule when a function starts, a
 * per-endpoint schedule when the CLI or the store writes it): every step, even at the top of its jitter, fits one
 * {@code ChangeMessageVisibility} (12 h), and the max age ends before the retry queue's retention would drop the
 * message.
 */
public final class RetryPlanCheck {

    /** SQS's longest visibility timeout. */
    public static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    /** The retry queue's retention (from the shared settings). */
    public static final Duration RETRY_QUEUE_RETENTION = BenSettings.own().queue(BenSettings.RETRY_QUEUE).retention();
    /** Room between the max age and the retention (an early arrival is hidden once more, a sweeper re-drive). */
    static final Duration RETENTION_ROOM = Duration.ofHours(1);

    private RetryPlanCheck() {
    }

    /** The problems of the plan, each with its fix; empty when it fits. */
    public static List<String> problems(RetrySchedule schedule, double jitter, Duration retention) {
        List<String> problems = new ArrayList<>();
        for (Duration step : schedule.delays()) {
            long topMillis = (long) Math.ceil(step.toMillis() * (1 + jitter));
            if (topMillis > MAX_VISIBILITY.toMillis()) {
                problems.add("step " + step + " with ±" + Math.round(jitter * 100) + " % jitter can reach "
                        + Duration.ofMillis(topMillis) + ", beyond SQS's 12 h visibility limit: use steps of at most "
                        + Duration.ofMillis((long) (MAX_VISIBILITY.toMillis() / (1 + jitter))) + " or less jitter");
            }
        }
        if (schedule.maxAge().plus(RETENTION_ROOM).compareTo(retention) > 0) {
            problems.add("max age " + schedule.maxAge() + " does not end an hour before the retry queue's retention ("
                    + retention + "): messages would expire before the last attempt; lower the max age or the steps");
        }
        return problems;
    }

    /** @throws IllegalArgumentException naming every problem */
    public static void require(RetrySchedule schedule, double jitter, Duration retention, String what) {
        List<String> problems = problems(schedule, jitter, retention);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(what + " \"" + schedule.spec() + "\": " + String.join("; ", problems));
        }
    }
}
