package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.delivery.CircuitPolicy;
import dev.ben.core.delivery.CircuitPolicy.Admission;
import dev.ben.core.model.Circuit;
import dev.ben.core.model.Endpoint;
import dev.ben.sender.testing.InMemoryCircuits;
import dev.ben.sender.testing.InMemoryStores;
import dev.ben.sender.testing.UnitRig.MutableClock;
import dev.ben.sender.testing.UnitRig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final InMemoryStores.Endpoints endpoints = new InMemoryStores.Endpoints(
            Endpoint.of("ep-1", "https://hooks.example.com/a", Set.of("*"), List.of(UnitRig.SECRET)));
    private final CircuitPolicy policy = CircuitPolicy.defaults();
    private final CircuitBreakers breakers = new CircuitBreakers(policy, new InMemoryCircuits(endpoints), clock,
            Telemetry.silent());

    private Endpoint endpoint() {
        return endpoints.items.get("ep-1");
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            breakers.record(endpoint(), null, false, "HTTP 503");
        }
    }

    @Test
    void circuit_afterFiveFailuresInARow_opensForThirtySeconds() {
        fail(4);
        Circuit afterFour = endpoint().circuit();

        fail(1);

        assertThat(afterFour.closed()).isTrue();
        assertThat(endpoint().circuit().state()).isEqualTo(Circuit.State.OPEN);
        assertThat(endpoint().circuit().retryAt()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(endpoint().circuit().reason()).isEqualTo("HTTP 503");
        assertThat(breakers.admit(endpoint()).admission()).isEqualTo(Admission.SKIP);
    }

    @Test
    void circuit_whenHalfTheRecentAttemptsFail_opensEvenWithoutFiveInARow() {
        for (int i = 0; i < 10; i++) {
            breakers.record(endpoint(), null, i % 2 == 0, i % 2 == 0 ? "" : "HTTP 500");
        }

        assertThat(endpoint().circuit().state()).isEqualTo(Circuit.State.OPEN);
    }

    @Test
    void circuit_successesBetweenFailures_keepItClosed() {
        for (int i = 0; i < 30; i++) {
            breakers.record(endpoint(), null, i % 3 != 0, "HTTP 500");
        }

        assertThat(endpoint().circuit().closed()).isTrue();
    }

    @Test
    void circuit_afterItsOpenTime_letsExactlyOneProbeThrough_andHalfOpens() {
        fail(5);
        clock.advance(Duration.ofSeconds(30));

        var first = breakers.admit(endpoint());
        var second = breakers.admit(endpoint());

        assertThat(first.admission()).isEqualTo(Admission.PROBE);
        assertThat(endpoint().circuit().state()).isEqualTo(Circuit.State.HALF_OPEN);
        assertThat(second.admission()).isEqualTo(Admission.SKIP);
    }

    @Test
    void circuit_whenTheProbeSucceeds_closes_andDrainsAtTheBoundedRate() {
        fail(5);
        clock.advance(Duration.ofSeconds(30));
        var probe = breakers.admit(endpoint());

        breakers.record(endpoint(), probe.probe(), true, "");

        assertThat(endpoint().circuit().closed()).isTrue();
        assertThat(breakers.admit(endpoint()).admission()).isEqualTo(Admission.GO);
        assertThat(policy.drainRate(endpoint().circuit(), clock.instant())).isEqualTo(20);
        assertThat(policy.drainRate(endpoint().circuit(), clock.instant().plusSeconds(61))).isZero();
    }

    @Test
    void circuit_whenTheProbeFails_reopensForTwiceAsLong() {
        fail(5);
        clock.advance(Duration.ofSeconds(30));
        var probe = breakers.admit(endpoint());

        breakers.record(endpoint(), probe.probe(), false, "TIMEOUT");

        assertThat(endpoint().circuit().state()).isEqualTo(Circuit.State.OPEN);
        assertThat(endpoint().circuit().retryAt()).isEqualTo(clock.instant().plusSeconds(60));
        assertThat(endpoint().circuit().failedProbes()).isEqualTo(1);
    }

    @Test
    void circuit_twoTimeoutsInARow_openIt() {
        breakers.record(endpoint(), null, false, true, "TIMEOUT");
        breakers.record(endpoint(), null, false, true, "TIMEOUT");

        assertThat(endpoint().circuit().state()).isEqualTo(Circuit.State.OPEN);
    }

    @Test
    void circuit_seenByNotify_isNeverProbed_soNoBatchWaitsForAHangingProbe() {
        CircuitBreakers notify = new CircuitBreakers(policy, new InMemoryCircuits(endpoints), clock,
                Telemetry.silent(), false);
        fail(5);
        clock.advance(Duration.ofSeconds(30));

        assertThat(notify.admit(endpoint()).admission()).isEqualTo(Admission.SKIP);
        assertThat(endpoint().circuit().state()).isEqualTo(Circuit.State.OPEN);
    }

    @Test
    void circuit_whenTheProberNeverReports_isProbedAgainOnceTheClaimLapses() {
        fail(5);
        clock.advance(Duration.ofSeconds(30));
        breakers.admit(endpoint());
        clock.advance(policy.probeLease());

        assertThat(breakers.admit(endpoint()).admission()).isEqualTo(Admission.PROBE);
    }
}
