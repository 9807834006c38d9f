package dev.ben.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JitterTest {

    @Test
    void apply_midpointUnit_leavesBaseUnchanged() {
        assertThat(Jitter.apply(Duration.ofSeconds(100), 0.1, 0.5)).isEqualTo(Duration.ofSeconds(100));
    }

    @Test
    void apply_extremeUnits_spreadWithinFactor() {
        assertThat(Jitter.apply(Duration.ofSeconds(100), 0.1, 0.0)).isEqualTo(Duration.ofSeconds(90));
        assertThat(Jitter.apply(Duration.ofSeconds(100), 0.1, 0.999999)).isEqualTo(Duration.ofMillis(110_000));
    }

    @Test
    void instance_usesInjectedRandomSource() {
        Jitter j = new Jitter(0.5, () -> 0.25);

        assertThat(j.apply(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void none_neverChangesTheDelay() {
        assertThat(Jitter.none().apply(Duration.ofMillis(1234))).isEqualTo(Duration.ofMillis(1234));
    }

    @Test
    void apply_neverReturnsZero() {
        assertThat(Jitter.apply(Duration.ofMillis(1), 1.0, 0.0)).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void badFactorOrUnit_isRejected() {
        assertThatThrownBy(() -> new Jitter(1.5, () -> 0.5)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> Jitter.apply(Duration.ofSeconds(1), 0.1, 1.0)).hasMessageContaining("[0, 1)");
    }
}
