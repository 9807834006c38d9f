package dev.ben.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    @Test
    void defaults_areWeChatPaySchedule_totalling24h4m() {
        RetrySchedule s = RetrySchedule.defaults();

        assertThat(s.delays()).hasSize(15);
        assertThat(s.total()).isEqualTo(Duration.ofHours(24).plusMinutes(4));
        assertThat(s.maxAttempts()).isEqualTo(16);
        assertThat(s.spec()).isEqualTo("15s,15s,30s,3m,10m,20m,30m,30m,30m,1h,3h,3h,3h,6h,6h");
    }

    @Test
    void delayAfter_firstFailure_is15s_thenFollowsSchedule() {
        RetrySchedule s = RetrySchedule.defaults();

        List<Duration> delays = IntStream.rangeClosed(1, 15).mapToObj(n -> s.delayAfter(n).orElseThrow()).toList();

        assertThat(delays).containsExactly(Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(30),
                Duration.ofMinutes(3), Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(30),
                Duration.ofMinutes(30), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3),
                Duration.ofHours(3), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(6));
    }

    @Test
    void exhausted_afterSixteenAttempts() {
        RetrySchedule s = RetrySchedule.defaults();

        assertThat(s.exhausted(15)).isFalse();
        assertThat(s.exhausted(16)).isTrue();
        assertThat(s.delayAfter(16)).isEmpty();
        assertThat(s.delayAfter(100)).isEmpty();
    }

    @Test
    void delayAfter_zeroAttempts_isAnError() {
        assertThatThrownBy(() -> RetrySchedule.defaults().delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parse_acceptsShorthandAndIsoAndMillis() {
        RetrySchedule s = RetrySchedule.parse(" 500ms, 15s ,3m,1h,2d,PT30S");

        assertThat(s.delays()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(15), Duration.ofMinutes(3),
                Duration.ofHours(1), Duration.ofDays(2), Duration.ofSeconds(30));
        assertThat(s.maxAge()).isEqualTo(s.total().multipliedBy(2));
    }

    @Test
    void defaultMaxAge_isTwiceTotal_butAtLeastTotalPlusOneHour() {
        assertThat(RetrySchedule.defaults().maxAge()).isEqualTo(Duration.ofHours(48).plusMinutes(8));
        assertThat(RetrySchedule.parse("100ms,200ms").maxAge()).isEqualTo(Duration.ofMillis(300).plusHours(1));
    }

    @Test
    void parse_roundTripsThroughSpec() {
        RetrySchedule s = RetrySchedule.parse("100ms,1s,90s,2h");

        assertThat(RetrySchedule.parse(s.spec())).isEqualTo(s);
        assertThat(s.spec()).isEqualTo("100ms,1s,90s,2h");
    }

    @Test
    void parse_badElement_namesItAndTheAcceptedForms() {
        assertThatThrownBy(() -> RetrySchedule.parse("15s,3x,1h"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"3x\"").hasMessageContaining("15s");
        assertThatThrownBy(() -> RetrySchedule.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> RetrySchedule.parse("15s,,1h")).hasMessageContaining("bad duration");
        assertThatThrownBy(() -> RetrySchedule.parse("0s")).hasMessageContaining("positive");
        assertThatThrownBy(() -> RetrySchedule.parse("-5s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withMaxAge_overridesDefaultMaxAge() {
        RetrySchedule s = RetrySchedule.parse("1s,1s").withMaxAge(Duration.ofHours(3));

        assertThat(s.maxAge()).isEqualTo(Duration.ofHours(3));
        assertThat(s.delays()).hasSize(2);
    }

    @Test
    void spec_writesWholeDaysHoursMinutesAndSecondsInTheirLargestUnit() {
        RetrySchedule s = RetrySchedule.parse("2d,36h,90m,1h,120s,1500ms");

        assertThat(s.spec()).isEqualTo("2d,36h,90m,1h,2m,1500ms");
        assertThat(RetrySchedule.parse(s.spec())).isEqualTo(s);
    }
}
