package dev.ben.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
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

    @Test
    void factor_mayBeZeroOrOne_butNotOutside() {
        assertThat(new Jitter(0, () -> 0.0).apply(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(new Jitter(1, () -> 0.75).apply(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(15));
        assertThatThrownBy(() -> new Jitter(-0.01, () -> 0.5)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> new Jitter(1.01, () -> 0.5)).hasMessageContaining("[0, 1]");
    }

    @Test
    void defaults_spreadDelaysWithinTenPercent() {
        Jitter jitter = Jitter.defaults();
        Duration base = Duration.ofSeconds(100);

        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(jitter.apply(base));
        }

        assertThat(jitter.factor()).isEqualTo(0.1);
        assertThat(seen).allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(90), Duration.ofSeconds(110)));
        assertThat(seen).as("200 draws of a uniform random source").hasSizeGreaterThan(1);
    }
}
