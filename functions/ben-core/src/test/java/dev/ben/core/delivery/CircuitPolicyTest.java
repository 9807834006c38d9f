package dev.ben.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.delivery.CircuitPolicy.Admission;
import dev.ben.core.model.Circuit;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final CircuitPolicy policy = CircuitPolicy.defaults();

    @Test
    void trips_onFailuresInARow_oronTheFailureRateOnceEnoughCalls() {
        assertThat(policy.trips(5, 5, 5)).isTrue();
        assertThat(policy.trips(4, 4, 9)).isFalse();
        assertThat(policy.trips(1, 10, 20)).isTrue();
        assertThat(policy.trips(1, 5, 9)).as("fewer than the minimum calls").isFalse();
    }

    @Test
    void trips_onTwoTimeoutsInARow_beforeFiveFailures() {
        assertThat(policy.trips(2, 2, 2, 2)).isTrue();
        assertThat(policy.trips(2, 2, 2, 1)).isFalse();
    }

    @Test
    void disabledPolicy_neverTrips() {
        assertThat(CircuitPolicy.disabled().trips(1000, 1000, 1000, 1000)).isFalse();
        assertThat(CircuitPolicy.disabled().enabled()).isFalse();
    }

    @Test
    void admit_skipsWhileOpen_probesOnceItsTimeHasCome() {
        Circuit open = policy.open(Circuit.CLOSED, "HTTP 503", NOW);

        assertThat(policy.admit(Circuit.CLOSED, NOW)).isEqualTo(Admission.GO);
        assertThat(policy.admit(open, NOW.plusSeconds(29))).isEqualTo(Admission.SKIP);
        assertThat(policy.admit(open, NOW.plusSeconds(30))).isEqualTo(Admission.PROBE);
        assertThat(policy.admit(policy.probing(open, NOW), NOW.plusSeconds(1))).isEqualTo(Admission.SKIP);
    }

    @Test
    void open_doublesAfterEachFailedProbe_upToTheMaximum() {
        Circuit circuit = policy.open(Circuit.CLOSED, "x", NOW);
        for (int probe = 1; probe <= 6; probe++) {
            circuit = policy.open(policy.probing(circuit, NOW), "x", NOW);
        }

        assertThat(circuit.failedProbes()).isEqualTo(6);
        assertThat(Duration.between(NOW, circuit.retryAt())).isEqualTo(Duration.ofMinutes(10));
        assertThat(Duration.between(NOW, policy.open(policy.probing(policy.open(Circuit.CLOSED, "x", NOW), NOW), "x",
                NOW).retryAt())).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void drainRate_appliesOnlyForAWhileAfterClosing() {
        Circuit closed = policy.close(NOW);

        assertThat(policy.drainRate(closed, NOW.plusSeconds(59))).isEqualTo(20);
        assertThat(policy.drainRate(closed, NOW.plusSeconds(60))).isZero();
        assertThat(policy.drainRate(Circuit.CLOSED, NOW)).as("never opened").isZero();
    }
}
