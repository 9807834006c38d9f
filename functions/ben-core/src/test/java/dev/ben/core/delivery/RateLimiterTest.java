package dev.ben.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final RateLimiter limiter = new RateLimiter(clock);

    @Test
    void tryAcquire_allowsOneSecondBurst_thenAsksToWait() {
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("ep", 5)).isZero();
        }

        Duration wait = limiter.tryAcquire("ep", 5);

        assertThat(wait).isEqualTo(Duration.ofMillis(200));
        assertThat(limiter.tryAcquire("ep", 5)).as("nothing was taken").isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void tryAcquire_refillsWithTime() {
        for (int i = 0; i < 5; i++) {
            limiter.tryAcquire("ep", 5);
        }

        clock.now = clock.now.plusMillis(400);

        assertThat(limiter.tryAcquire("ep", 5)).isZero();
        assertThat(limiter.tryAcquire("ep", 5)).isZero();
        assertThat(limiter.tryAcquire("ep", 5)).isPositive();
    }

    @Test
    void reserve_spreadsABatchAfterTheBurst() {
        List<Duration> slots = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            slots.add(limiter.reserve("ep", 2));
        }

        assertThat(slots).containsExactly(Duration.ZERO, Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofMillis(1500));
    }

    @Test
    void endpointsAreIndependent_andZeroMeansUnlimited() {
        limiter.tryAcquire("a", 1);

        assertThat(limiter.tryAcquire("a", 1)).isPositive();
        assertThat(limiter.tryAcquire("b", 1)).isZero();
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.tryAcquire("c", 0)).isZero();
        }
    }
}
