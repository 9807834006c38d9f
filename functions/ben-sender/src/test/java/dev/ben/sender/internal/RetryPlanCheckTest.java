package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.core.retry.RetrySchedule;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryPlanCheckTest {

    private static final Duration FOUR_DAYS = Duration.ofDays(4);

    @Test
    void defaultPlan_fits() {
        assertThat(RetryPlanCheck.problems(RetrySchedule.defaults(), 0.1, RetryPlanCheck.RETRY_QUEUE_RETENTION))
                .isEmpty();
    }

    @Test
    void aTwelveHourStep_withJitter_passesTheVisibilityCap() {
        var problems = RetryPlanCheck.problems(RetrySchedule.parse("1h,12h"), 0.1, FOUR_DAYS);

        assertThat(problems).singleElement().asString().contains("12 h visibility limit").contains("PT10H54M");
    }

    @Test
    void aTwelveHourStep_withoutJitter_fits() {
        assertThat(RetryPlanCheck.problems(RetrySchedule.parse("12h"), 0, FOUR_DAYS)).isEmpty();
    }

    @Test
    void aMaxAgeBeyondTheQueueRetention_isRefused() {
        var plan = RetrySchedule.parse("1h").withMaxAge(Duration.ofDays(4));

        assertThat(RetryPlanCheck.problems(plan, 0.1, FOUR_DAYS)).singleElement().asString()
                .contains("retention");
    }

    @Test
    void aFunctionWithAPlanThatDoesNotFit_refusesToStart() {
        SenderConfig config = new SenderConfig(Map.of("BEN_RETRY_SCHEDULE", "15s,690m", "BEN_RETRY_JITTER", "0.1"));

        assertThatThrownBy(config::policy).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BEN_RETRY_SCHEDULE \"15s,690m\"");
    }
}
