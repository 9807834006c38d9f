package dev.ben.infra;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.infra.internal.Durations;
import dev.ben.infra.internal.RetryPlan;
import dev.ben.settings.BenSettings;
import dev.ben.settings.QueueSpec;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPlanTest {

    private final QueueSpec retryQueue = SynthesizedBen.demoSettings().queue(BenSettings.RETRY_QUEUE);

    @Test
    void retryQueues_areTheConsumedQueuesWithARedrive() {
        org.assertj.core.api.Assertions.assertThat(RetryPlan.retryQueues(SynthesizedBen.demoSettings()))
                .containsExactly(retryQueue);
    }

    @Test
    void check_wechatLikeScheduleFitsTheDefaultRetention() {
        List<Duration> schedule = Durations.parseList("15s,15s,30s,3m,10m,20m,30m,30m,30m,1h,3h,3h,3h,6h,6h");

        assertThatCode(() -> RetryPlan.check(schedule, retryQueue, retryQueue.retention())).doesNotThrowAnyException();
    }

    @Test
    void check_stepsBeyondTwelveHours_longSchedulesAndManySteps_fit_everyWaitIsAChainOfDelayedMessages() {
        assertThatCode(() -> RetryPlan.check(List.of(Duration.ofHours(13)), retryQueue, retryQueue.retention()))
                .doesNotThrowAnyException();
        assertThatCode(() -> RetryPlan.check(Collections.nCopies(10, Duration.ofHours(12)), retryQueue,
                Duration.ofDays(4))).doesNotThrowAnyException();
        assertThatCode(() -> RetryPlan.check(Collections.nCopies(retryQueue.maxReceiveCount(), Duration.ofSeconds(1)),
                retryQueue, retryQueue.retention())).doesNotThrowAnyException();
    }

    @Test
    void check_whenRetentionDoesNotOutlastOneHop_refusesSayingTheMessageWouldExpire() {
        assertThatThrownBy(() -> RetryPlan.check(List.of(), retryQueue, Duration.ofMinutes(15)))
                .hasMessageContaining("one hop").hasMessageContaining("expire");
    }

    @Test
    void check_whenRetentionAboveFourteenDays_refuses() {
        assertThatThrownBy(() -> RetryPlan.check(List.of(), retryQueue, Duration.ofDays(15)))
                .hasMessageContaining("14 days");
    }

    @Test
    void durations_roundTripTheShorthand() {
        List<Duration> steps = List.of(Duration.ofSeconds(15), Duration.ofMinutes(3), Duration.ofHours(1),
                Duration.ofSeconds(90));

        org.assertj.core.api.Assertions.assertThat(Durations.format(steps)).isEqualTo("15s,3m,1h,90s");
        org.assertj.core.api.Assertions.assertThat(Durations.parseList("15s,3m,1h,90s")).isEqualTo(steps);
        org.assertj.core.api.Assertions.assertThat(Durations.parse("PT2H")).isEqualTo(Duration.ofHours(2));
    }
}
