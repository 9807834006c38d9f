package dev.ben.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void parse_delaySeconds() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void parse_httpDate_isRelativeToNow() {
        assertThat(RetryAfter.parse("Sun, 29 Nov 2026 12:05:00 GMT", NOW)).contains(Duration.ofMinutes(5));
    }

    @Test
    void parse_httpDateInThePast_isZero() {
        assertThat(RetryAfter.parse("Sun, 29 Nov 2026 11:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void parse_garbageOrAbsent_isEmpty() {
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }

    @Test
    void parse_hugeNumber_doesNotOverflow() {
        assertThat(RetryAfter.parse("99999999999999999999", NOW)).hasValueSatisfying(d ->
                assertThat(d).isGreaterThan(Duration.ofDays(365)));
    }

    @Test
    void parse_nineDigitSeconds_isTakenExactly_longerIsCappedLater() {
        assertThat(RetryAfter.parse("123456789", NOW)).contains(Duration.ofSeconds(123_456_789));
        assertThat(RetryAfter.parse("1234567890", NOW)).contains(Duration.ofSeconds(999_999_999));
    }
}
