package dev.ben.sender.internal;

import dev.ben.core.delivery.CircuitPolicy;
import dev.ben.core.model.Circuit;
import dev.ben.core.model.Endpoint;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoints' circuit breakers. The state (closed, open until, half-open while a probe runs) is shared on the
 * endpoint item through {@link CircuitStore}'s conditional writes; the failure counts that open it are kept per
 * container (a documented approximation: counting every failure in DynamoDB would cost a write per failure on one
 * hot item). Any container that sees the policy's failures in a row, or its failure rate, opens it for all.
 */
public final class CircuitBreakers {

    /** One endpoint's recent outcomes as this container saw them. */
    private static final class Window {
        private final boolean[] failures;
        private int next;
        private int calls;
        private int failed;
        private int inARow;
        private int timeoutsInARow;

        Window(int size) {
            failures = new boolean[size];
        }

        synchronized void add(boolean failure, boolean timeout) {
            timeoutsInARow = timeout ? timeoutsInARow + 1 : 0;
            if (calls == failures.length && failures[next]) {
                failed--;
            }
            failures[next] = failure;
            next = (next + 1) % failures.length;
            calls = Math.min(calls + 1, failures.length);
            failed += failure ? 1 : 0;
            inARow = failure ? inARow + 1 : 0;
        }

        synchronized boolean trips(CircuitPolicy policy) {
            return policy.trips(inARow, failed, calls, timeoutsInARow);
        }

        synchronized void reset() {
            Arrays.fill(failures, false);
            next = calls = failed = inARow = timeoutsInARow = 0;
        }
    }

    private final CircuitPolicy policy;
    private final CircuitStore store;
    private final Clock clock;
    private final Telemetry telemetry;
    private final boolean probes;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /** Breakers whose caller may make the half-open probe (the retry function). */
    public CircuitBreakers(CircuitPolicy policy, CircuitStore store, Clock clock, Telemetry telemetry) {
        this(policy, store, clock, telemetry, true);
    }

    /**
     * @param probes false for notify: a probe may hang until its timeout, and a notify batch would wait for it, so
     *               notify leaves probing to the retry function (the sweeper sends it one parked delivery to carry
     *               the probe once {@code retryAt} passes)
     */
    public CircuitBreakers(CircuitPolicy policy, CircuitStore store, Clock clock, Telemetry telemetry,
                           boolean probes) {
        this.probes = probes;
        this.policy = policy;
        this.store = store;
        this.clock = clock;
        this.telemetry = telemetry;
    }

    public CircuitPolicy policy() {
        return policy;
    }

    /**
     * What the circuit lets an attempt do.
     *
     * @param probe the HALF_OPEN circuit this caller claimed when {@code admission} is PROBE (its outcome closes or
     *              re-opens it), else {@code null}
     */
    public record Verdict(CircuitPolicy.Admission admission, Circuit probe) {
    }

    /** GO, PROBE (this caller won the probe: its attempt decides) or SKIP. */
    public Verdict admit(Endpoint endpoint) {
        if (!policy.enabled()) {
            return new Verdict(CircuitPolicy.Admission.GO, null);
        }
        Instant now = clock.instant();
        Circuit circuit = endpoint.circuit();
        CircuitPolicy.Admission admission = policy.admit(circuit, now);
        if (admission != CircuitPolicy.Admission.PROBE) {
            return new Verdict(admission, null);
        }
        if (!probes) {
            return new Verdict(CircuitPolicy.Admission.SKIP, null);
        }
        Circuit claimed = policy.probing(circuit, now);
        if (!store.transition(endpoint.id(), circuit, claimed)) {
            return new Verdict(CircuitPolicy.Admission.SKIP, null); // another invocation claimed the probe
        }
        telemetry.metric("circuitProbes", 1);
        return new Verdict(CircuitPolicy.Admission.PROBE, claimed);
    }

    /** As {@link #record(Endpoint, Circuit, boolean, boolean, String)} for an attempt that was answered or refused. */
    public void record(Endpoint endpoint, Circuit probe, boolean success, String reason) {
        record(endpoint, probe, success, false, reason);
    }

    /**
     * Records a real attempt's outcome; a probe's ({@code probe} not null) closes or re-opens the circuit.
     *
     * @param timeout the attempt got no answer in time
     */
    public void record(Endpoint endpoint, Circuit probe, boolean success, boolean timeout, String reason) {
        if (!policy.enabled()) {
            return;
        }
        Instant now = clock.instant();
        Window window = windows.computeIfAbsent(endpoint.id(), k -> new Window(policy.window()));
        if (probe != null) {
            probeResult(endpoint, probe, success, reason, now);
            window.reset();
            return;
        }
        window.add(!success, timeout);
        if (!success && endpoint.circuit().closed() && window.trips(policy)) {
            window.reset();
            if (store.transition(endpoint.id(), endpoint.circuit(), policy.open(endpoint.circuit(), reason, now))) {
                telemetry.warn("circuit opened", Map.of("endpointId", endpoint.id(), "reason", reason));
                telemetry.metric("circuitOpened", 1);
            }
        }
    }

    private void probeResult(Endpoint endpoint, Circuit halfOpen, boolean success, String reason, Instant now) {
        Circuit next = success ? policy.close(now) : policy.open(halfOpen, reason, now);
        if (!store.transition(endpoint.id(), halfOpen, next)) {
            return; // the claim lapsed and someone else probes now
        }
        telemetry.info(success ? "circuit closed by a successful probe" : "circuit re-opened by a failed probe",
                Map.of("endpointId", endpoint.id(), "retryAt", String.valueOf(next.retryAt()), "reason", reason));
        telemetry.metric(success ? "circuitClosed" : "circuitOpened", 1);
    }
}
