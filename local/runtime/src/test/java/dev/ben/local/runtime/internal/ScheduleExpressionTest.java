package dev.ben.local.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {
    private static final Instant ANCHOR = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void rate_parsesEveryUnit_withSingularOnlyForOne() {
        assertThat(ScheduleExpression.parse("rate(1 minute)")).isEqualTo(new ScheduleExpression.Rate(Duration.ofMinutes(1)));
        assertThat(ScheduleExpression.parse("rate(5 minutes)")).isEqualTo(new ScheduleExpression.Rate(Duration.ofMinutes(5)));
        assertThat(ScheduleExpression.parse("rate(1 hour)")).isEqualTo(new ScheduleExpression.Rate(Duration.ofHours(1)));
        assertThat(ScheduleExpression.parse("rate(12 hours)")).isEqualTo(new ScheduleExpression.Rate(Duration.ofHours(12)));
        assertThat(ScheduleExpression.parse("rate(1 day)")).isEqualTo(new ScheduleExpression.Rate(Duration.ofDays(1)));
        assertThat(ScheduleExpression.parse("rate(3 days)")).isEqualTo(new ScheduleExpression.Rate(Duration.ofDays(3)));
    }

    @Test
    void rate_whenUnitDoesNotAgreeWithValue_isRejectedWithTheFix() {
        assertThatThrownBy(() -> ScheduleExpression.parse("rate(1 minutes)")).hasMessageContaining("use 'minute'");
        assertThatThrownBy(() -> ScheduleExpression.parse("rate(5 minute)")).hasMessageContaining("use 'minutes'");
        assertThatThrownBy(() -> ScheduleExpression.parse("rate(0 minutes)")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ScheduleExpression.parse("rate(5 seconds)")).hasMessageContaining("rate(<positive integer>");
        assertThatThrownBy(() -> ScheduleExpression.parse("every 5 minutes")).hasMessageContaining("rate(...) or cron(...)");
    }

    @Test
    void rate_nextAfter_countsWholePeriodsFromTheAnchor() {
        ScheduleExpression rate = ScheduleExpression.parse("rate(15 minutes)");

        assertThat(rate.nextAfter(ANCHOR, ANCHOR)).isEqualTo(Instant.parse("2026-03-01T10:15:00Z"));
        assertThat(rate.nextAfter(Instant.parse("2026-03-01T10:14:59Z"), ANCHOR)).isEqualTo(Instant.parse("2026-03-01T10:15:00Z"));
        assertThat(rate.nextAfter(Instant.parse("2026-03-01T10:15:00Z"), ANCHOR)).isEqualTo(Instant.parse("2026-03-01T10:30:00Z"));
        assertThat(rate.nextAfter(Instant.parse("2026-03-01T13:07:00Z"), ANCHOR)).isEqualTo(Instant.parse("2026-03-01T13:15:00Z"));
    }

    @Test
    void cron_everyFiveMinutesOnWeekdays_skipsTheWeekend() {
        ScheduleExpression cron = ScheduleExpression.parse("cron(0/5 8-17 ? * MON-FRI *)");

        // 2026-03-06 is a Friday.
        assertThat(cron.nextAfter(Instant.parse("2026-03-06T10:02:10Z"), ANCHOR)).isEqualTo(Instant.parse("2026-03-06T10:05:00Z"));
        assertThat(cron.nextAfter(Instant.parse("2026-03-06T17:55:00Z"), ANCHOR)).isEqualTo(Instant.parse("2026-03-09T08:00:00Z"));
    }

    @Test
    void cron_fixedTimeDaily_firesStrictlyAfter() {
        ScheduleExpression cron = ScheduleExpression.parse("cron(15 10 * * ? *)");

        assertThat(cron.nextAfter(Instant.parse("2026-03-01T10:14:00Z"), ANCHOR)).isEqualTo(Instant.parse("2026-03-01T10:15:00Z"));
        assertThat(cron.nextAfter(Instant.parse("2026-03-01T10:15:00Z"), ANCHOR)).isEqualTo(Instant.parse("2026-03-02T10:15:00Z"));
    }

    @Test
    void cron_listsMonthNamesAndYears() {
        ScheduleExpression cron = ScheduleExpression.parse("cron(0 12 1 JAN,JUL ? 2027-2028)");

        assertThat(cron.nextAfter(Instant.parse("2026-03-01T00:00:00Z"), ANCHOR)).isEqualTo(Instant.parse("2027-01-01T12:00:00Z"));
        assertThat(cron.nextAfter(Instant.parse("2027-01-01T12:00:00Z"), ANCHOR)).isEqualTo(Instant.parse("2027-07-01T12:00:00Z"));
        assertThatThrownBy(() -> cron.nextAfter(Instant.parse("2028-07-01T12:00:00Z"), ANCHOR))
                .hasMessageContaining("never fires");
    }

    @Test
    void cron_lastDayOfMonth_handlesFebruaryAndLeapYears() {
        ScheduleExpression cron = ScheduleExpression.parse("cron(30 23 L * ? *)");

        assertThat(cron.nextAfter(Instant.parse("2027-02-10T00:00:00Z"), ANCHOR)).isEqualTo(Instant.parse("2027-02-28T23:30:00Z"));
        assertThat(cron.nextAfter(Instant.parse("2028-02-10T00:00:00Z"), ANCHOR)).isEqualTo(Instant.parse("2028-02-29T23:30:00Z"));
    }

    @Test
    void cron_dayOfWeekNumbers_startWithSunday() {
        ScheduleExpression cron = ScheduleExpression.parse("cron(0 0 ? * 1 *)");

        // 2026-03-01 is a Sunday.
        assertThat(cron.nextAfter(Instant.parse("2026-03-01T00:00:00Z"), ANCHOR)).isEqualTo(Instant.parse("2026-03-08T00:00:00Z"));
    }

    @Test
    void cron_stepsOverRanges() {
        ScheduleExpression cron = ScheduleExpression.parse("cron(10-40/15 * * * ? *)");

        assertThat(cron.nextAfter(Instant.parse("2026-03-01T10:00:00Z"), ANCHOR)).isEqualTo(Instant.parse("2026-03-01T10:10:00Z"));
        assertThat(cron.nextAfter(Instant.parse("2026-03-01T10:10:00Z"), ANCHOR)).isEqualTo(Instant.parse("2026-03-01T10:25:00Z"));
        assertThat(cron.nextAfter(Instant.parse("2026-03-01T10:40:00Z"), ANCHOR)).isEqualTo(Instant.parse("2026-03-01T11:10:00Z"));
    }

    @Test
    void cron_invalidOrUnsupported_isRejectedWithAReason() {
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 * * *)")).hasMessageContaining("expected 6 fields");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 * * MON *)")).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 ? * ? *)")).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 15W * ? *)")).hasMessageContaining("does not support");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 ? * 6#3 *)")).hasMessageContaining("does not support");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 ? * 6L *)")).hasMessageContaining("L is supported only");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(61 12 * * ? *)")).hasMessageContaining("outside 0-59");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 * FOO ? *)")).hasMessageContaining("not a valid month");
    }
}
