package dev.ben.core.delivery;

import dev.ben.core.model.Circuit;
import dev.ben.core.model.Circuit.State;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When an endpoint's circuit opens, when it may be probed and how long it stays open: pure decisions on a
 * {@link Circuit}, time passed in.
 *
 * <table>
 * <caption>Circuit → what an attempt does</caption>
 * <tr><th>circuit</th><th>{@link #admit}</th></tr>
 * <tr><td>CLOSED</td><td>{@code GO}</td></tr>
 * <tr><td>OPEN, before {@code retryAt}</td><td>{@code SKIP}: the delivery is parked until {@code retryAt}, not
 *     counted as an attempt ({@link DeliveryPolicy#park})</td></tr>
 * <tr><td>OPEN, at/after {@code retryAt}</td><td>{@code PROBE}: whoever claims the probe (conditional write) POSTs
 *     </td></tr>
 * <tr><td>HALF_OPEN, before {@code retryAt}</td><td>{@code SKIP}: another invocation is probing; parked until
 *     the probe's lease ends</td></tr>
 * <tr><td>HALF_OPEN, at/after {@code retryAt}</td><td>{@code PROBE}: the prober's claim lapsed</td></tr>
 * </table>
 *
 * <p>Parked deliveries send nothing while the circuit is open; the sweeper releases them: one probe carrier once
 * {@code retryAt} passes, then the backlog at the drain rate once the circuit is closed.
 *
 * @param consecutiveFailures failures in a row (as one invocation sees them) that open the circuit; 0 = never
 * @param failureRate         failure share over the last {@code window} attempts that opens it (with at least
 *                            {@code minimumCalls} of them); 0 = never
 * @param window              attempts in the failure-rate window
 * @param minimumCalls        fewest attempts in the window before the rate counts
 * @param openFor             how long the first opening lasts; doubled after each failed probe
 * @param maxOpen             the longest opening
 * @param probeLease          how long a claimed probe keeps the circuit half-open (longer than one attempt)
 * @param drainRatePerSecond  after the probe closed it, deliveries per second while the backlog drains; 0 = no limit
 * @param drainFor            how long the drain rate applies after closing
 * @param consecutiveTimeouts attempts in a row that got no answer in time (timeouts) that open it; 0 = never.
 *                            Lower than {@code consecutiveFailures}: a receiver that hangs costs every batch that
 *                            waits for it, a fast 503 costs almost nothing
 */
public record CircuitPolicy(int consecutiveFailures, double failureRate, int window, int minimumCalls,
                            Duration openFor, Duration maxOpen, Duration probeLease, int drainRatePerSecond,
                            Duration drainFor, int consecutiveTimeouts) {

    /** What an attempt may do. */
    public enum Admission { GO, PROBE, SKIP }

    public CircuitPolicy {
        if (consecutiveFailures < 0 || consecutiveTimeouts < 0 || failureRate < 0 || failureRate > 1 || window < 1
                || minimumCalls < 1
                || drainRatePerSecond < 0) {
            throw new IllegalArgumentException("circuit breaker: thresholds must be >= 0, the rate in [0, 1], window "
                    + "and minimum calls >= 1");
        }
        Objects.requireNonNull(openFor, "openFor");
        Objects.requireNonNull(maxOpen, "maxOpen");
        Objects.requireNonNull(probeLease, "probeLease");
        Objects.requireNonNull(drainFor, "drainFor");
    }

    /**
     * 5 failures or 2 timeouts in a row, or ≥ 50 % of the last 20 (at least 10), open 30 s doubling to 10 min, drain
     * 20/s for 1 min.
     */
    public static CircuitPolicy defaults() {
        return new CircuitPolicy(5, 0.5, 20, 10, Duration.ofSeconds(30), Duration.ofMinutes(10),
                Duration.ofSeconds(30), 20, Duration.ofMinutes(1), 2);
    }

    /** A policy that never opens a circuit. */
    public static CircuitPolicy disabled() {
        return new CircuitPolicy(0, 0, 1, 1, Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofSeconds(30),
                0, Duration.ZERO, 0);
    }

    public boolean enabled() {
        return consecutiveFailures > 0 || failureRate > 0 || consecutiveTimeouts > 0;
    }

    public Admission admit(Circuit circuit, Instant now) {
        if (circuit.closed()) {
            return Admission.GO;
        }
        return now.isBefore(circuit.retryAt()) ? Admission.SKIP : Admission.PROBE;
    }

    /** As {@link #trips(int, int, int)}, also opening on {@code timeoutsInARow}. */
    public boolean trips(int failuresInARow, int failuresInWindow, int calls, int timeoutsInARow) {
        if (consecutiveTimeouts > 0 && timeoutsInARow >= consecutiveTimeouts) {
            return true;
        }
        return trips(failuresInARow, failuresInWindow, calls);
    }

    /** Whether what one invocation saw (failures in a row, failures among the last {@code calls}) opens it. */
    public boolean trips(int failuresInARow, int failuresInWindow, int calls) {
        if (consecutiveFailures > 0 && failuresInARow >= consecutiveFailures) {
            return true;
        }
        return failureRate > 0 && calls >= minimumCalls && failuresInWindow >= failureRate * calls;
    }

    /** Opened by a failure, or re-opened by a failed probe (longer each time). */
    public Circuit open(Circuit before, String reason, Instant now) {
        int probes = before.state() == State.HALF_OPEN ? before.failedProbes() + 1 : before.failedProbes();
        Duration open = openFor.multipliedBy(1L << Math.min(probes, 20));
        if (open.compareTo(maxOpen) > 0) {
            open = maxOpen;
        }
        return new Circuit(State.OPEN, now.plus(open), probes, now, reason);
    }

    /** The probe was claimed: half-open until the claim lapses. */
    public Circuit probing(Circuit before, Instant now) {
        return new Circuit(State.HALF_OPEN, now.plus(probeLease), before.failedProbes(), now, before.reason());
    }

    /** The probe succeeded: closed, draining from now. */
    public Circuit close(Instant now) {
        return new Circuit(State.CLOSED, null, 0, now, "");
    }

    /** The rate the backlog drains at right now (0 = no extra limit): only shortly after a probe closed it. */
    public int drainRate(Circuit circuit, Instant now) {
        if (!circuit.closed() || circuit.changedAt() == null || drainRatePerSecond == 0) {
            return 0;
        }
        return now.isBefore(circuit.changedAt().plus(drainFor)) ? drainRatePerSecond : 0;
    }
}
