package dev.ben.sender.internal;

import dev.ben.core.delivery.CircuitPolicy;
import dev.ben.core.delivery.RateLimiter;
import dev.ben.core.http.ErrorKind;
import dev.ben.core.http.HttpOutcome;
import dev.ben.core.model.Circuit;
import dev.ben.core.model.Endpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What an endpoint lets an attempt do right now: its circuit breaker ({@link CircuitBreakers}) and its rate limit —
 * the stored {@code rateLimitPerSecond}, or the drain rate just after its circuit closed — shared by every
 * invocation through {@link RateLimitStore}. Never waits: a limited delivery is deferred into the retry queue, one
 * refused by an open circuit is parked in the store.
 */
public final class EndpointGate {

    /** The verdict for one attempt. */
    public sealed interface Admission {
    }

    /** Send now; {@code probe} is the claimed half-open circuit when this attempt is the probe, else null. */
    public record Go(Circuit probe) implements Admission {
    }

    /**
     * Circuit open: not sent and not counted; the delivery is parked until {@code until} (the circuit's
     * {@code retryAt}: when OPEN, the time a probe may be made; when HALF_OPEN, the end of the probe's lease).
     */
    public record Skip(Instant until, String reason) implements Admission {
    }

    /** Rate limited: not sent and not counted; due again after {@code after}. */
    public record Defer(Duration after, String reason) implements Admission {
    }

    private final CircuitBreakers breakers;
    private final RateLimitStore rates;
    private final RateLimiter spread;
    private final Clock clock;
    private final Telemetry telemetry;
    private final RecentStragglers stragglers = new RecentStragglers();

    public EndpointGate(CircuitBreakers breakers, RateLimitStore rates, Clock clock, Telemetry telemetry) {
        this.breakers = breakers;
        this.rates = rates;
        this.spread = new RateLimiter(clock);
        this.clock = clock;
        this.telemetry = telemetry;
    }

    /** No circuit breaker and no shared rate limit: every attempt goes (tests of everything else). */
    public static EndpointGate open(Clock clock) {
        return new EndpointGate(new CircuitBreakers(CircuitPolicy.disabled(), (id, expected, next) -> false, clock,
                Telemetry.silent()), (id, perSecond, now) -> Duration.ZERO, clock, Telemetry.silent());
    }

    public Admission admit(Endpoint endpoint) {
        CircuitBreakers.Verdict verdict = breakers.admit(endpoint);
        if (verdict.admission() == CircuitPolicy.Admission.SKIP) {
            Circuit c = endpoint.circuit();
            return new Skip(c.retryAt(), "parked: the circuit of endpoint " + endpoint.id() + " is " + c.state()
                    + " until " + c.retryAt() + " (" + c.reason() + "); sent once it closes");
        }
        if (verdict.probe() != null) {
            return new Go(verdict.probe()); // the probe is never rate limited: it alone decides when traffic resumes
        }
        Instant now = clock.instant();
        var cutOff = stragglers.since(endpoint.id(), now);
        if (cutOff.isPresent()) {
            telemetry.metric("stragglerDeferred", 1);
            return new Defer(DeliveryRunner.BUDGET_DEFERRAL, "deferred: endpoint " + endpoint.id() + " was cut off "
                    + "as a straggler at " + cutOff.get() + "; for " + RecentStragglers.FOR.toSeconds() + " s notify "
                    + "leaves it to the retry function, which waits its full timeout");
        }
        int rate = rateOf(endpoint, now);
        if (rate > 0) {
            Duration wait = rates.tryAcquire(endpoint.id(), rate, now);
            if (!wait.isZero()) {
                // booked one slot apart per deferred delivery, so the backlog comes back at about the rate
                Duration booked = spread.reserve(endpoint.id(), rate);
                telemetry.metric("rateLimited", 1);
                return new Defer(booked.compareTo(wait) > 0 ? booked : wait, "deferred: rate limit of " + rate
                        + "/s of endpoint " + endpoint.id() + " reached");
            }
        }
        return new Go(null);
    }

    /** After a real attempt: the circuit learns whether the receiver was available. */
    public void after(Endpoint endpoint, Go go, HttpOutcome outcome) {
        if (outcome.errorKind() == ErrorKind.CUT_OFF) {
            // slower than its batch, not shown unavailable: notify stops waiting for it, the circuit learns nothing
            // (the retry function's full-timeout attempts tell whether it answers at all)
            stragglers.cutOff(endpoint.id(), clock.instant());
            return;
        }
        boolean timeout = outcome.errorKind() == ErrorKind.TIMEOUT || outcome.errorKind() == ErrorKind.CONNECT_TIMEOUT;
        breakers.record(endpoint, go.probe(), !unavailable(outcome), timeout, outcome.summary());
    }

    /**
     * What counts against the circuit: no answer (timeouts, refused and reset connections), 5xx and 429. Any other
     * answer — 2xx, but also a 4xx for one payload — shows a receiver that is up, and a refused URL is a
     * configuration error that fails its deliveries at once; neither should stop traffic to the endpoint.
     */
    static boolean unavailable(HttpOutcome outcome) {
        if (!outcome.hasResponse()) {
            return !outcome.errorKind().permanent();
        }
        return outcome.statusCode() >= 500 || outcome.statusCode() == 429;
    }

    /** The endpoint's own limit, or the circuit's drain rate when lower (0 = unlimited). */
    private int rateOf(Endpoint endpoint, Instant now) {
        return lowerRate(endpoint.rateLimitPerSecond(), breakers.policy().drainRate(endpoint.circuit(), now));
    }

    /** The stricter of two per-second limits, 0 meaning no limit. */
    static int lowerRate(int a, int b) {
        return a == 0 || b == 0 ? Math.max(a, b) : Math.min(a, b);
    }
}
