package dev.ben.core.delivery;

import dev.ben.core.delivery.DeliveryResult.Cancelled;
import dev.ben.core.delivery.DeliveryResult.Delivered;
import dev.ben.core.delivery.DeliveryResult.Exhausted;
import dev.ben.core.delivery.DeliveryResult.Gone;
import dev.ben.core.delivery.DeliveryResult.Parked;
import dev.ben.core.delivery.DeliveryResult.Rejected;
import dev.ben.core.delivery.DeliveryResult.Retry;
import dev.ben.core.http.HttpOutcome;
import dev.ben.core.model.Attempt;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.retry.Jitter;
import dev.ben.core.retry.RetrySchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The delivery state machine, as a pure function: {@code (delivery, endpoint, outcome, now) → transition}.
 *
 * <table>
 * <caption>Outcome → verdict</caption>
 * <tr><th>outcome</th><th>verdict</th><th>delivery</th><th>endpoint</th></tr>
 * <tr><td>2xx</td><td>Delivered</td><td>DELIVERED</td><td>healthy</td></tr>
 * <tr><td>410</td><td>Gone</td><td>FAILED</td><td>disabled</td></tr>
 * <tr><td>429 / 503 with a valid Retry-After</td><td>Retry after it (capped)</td><td>RETRYING</td>
 *     <td>failing</td></tr>
 * <tr><td>other 1xx/3xx/4xx/5xx, timeouts, connection errors</td><td>Retry per schedule (jittered)</td>
 *     <td>RETRYING</td><td>failing</td></tr>
 * <tr><td>invalid URL, blocked address</td><td>Rejected</td><td>FAILED</td><td>failing</td></tr>
 * <tr><td>any failure, schedule used up or next attempt beyond max age</td><td>Exhausted</td><td>FAILED</td>
 *     <td>failing</td></tr>
 * <tr><td>any failure, endpoint failing for {@code autoDisableAfter}</td><td>Rejected</td><td>FAILED</td>
 *     <td>disabled</td></tr>
 * <tr><td>not sent: rate limit, concurrency cap, time budget ({@link #defer})</td><td>Retry after the wait, not
 *     counted</td><td>RETRYING</td><td>unchanged</td></tr>
 * <tr><td>not sent: circuit open until {@code until} ({@link #park})</td><td>Parked, not counted, no queue
 *     message</td><td>RETRYING, parked</td><td>unchanged</td></tr>
 * <tr><td>not sent, the wait past the max age ({@link #defer}, {@link #park})</td><td>Exhausted</td><td>FAILED</td>
 *     <td>unchanged</td></tr>
 * </table>
 *
 * @param schedule         the global schedule (an endpoint's own schedule wins)
 * @param retryAfterCap    the longest {@code Retry-After} honoured
 * @param autoDisableAfter how long an endpoint may fail without a single success before it is disabled
 * @param jitter           applied to schedule delays (not to {@code Retry-After})
 */
public record DeliveryPolicy(RetrySchedule schedule, Duration retryAfterCap, Duration autoDisableAfter,
                             Jitter jitter) {

    public static final Duration DEFAULT_RETRY_AFTER_CAP = Duration.ofHours(1);
    public static final Duration DEFAULT_AUTO_DISABLE_AFTER = Duration.ofDays(5);

    public DeliveryPolicy {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(retryAfterCap, "retryAfterCap");
        Objects.requireNonNull(autoDisableAfter, "autoDisableAfter");
        Objects.requireNonNull(jitter, "jitter");
    }

    /** Default schedule, Retry-After capped at 1 h, auto-disable after 5 days, ±10 % jitter. */
    public static DeliveryPolicy defaults() {
        return new DeliveryPolicy(RetrySchedule.defaults(), DEFAULT_RETRY_AFTER_CAP, DEFAULT_AUTO_DISABLE_AFTER,
                Jitter.defaults());
    }

    public DeliveryPolicy withSchedule(RetrySchedule newSchedule) {
        return new DeliveryPolicy(newSchedule, retryAfterCap, autoDisableAfter, jitter);
    }

    public DeliveryPolicy withJitter(Jitter newJitter) {
        return new DeliveryPolicy(schedule, retryAfterCap, autoDisableAfter, newJitter);
    }

    /**
     * Decides what follows an attempt of {@code delivery} to {@code endpoint} that produced {@code outcome};
     * {@code now} is when the outcome arrived.
     *
     * @throws IllegalStateException if the delivery is already terminal
     */
    public Transition next(Delivery delivery, Endpoint endpoint, HttpOutcome outcome, Instant now) {
        requireOpen(delivery);
        int attemptNumber = delivery.attempts() + 1;
        Attempt attempt = new Attempt(delivery.id(), attemptNumber, now.minus(outcome.latency()),
                outcome.statusCode(), outcome.latency(), outcome.successful() ? "" : describe(outcome));
        DeliveryResult result = verdict(delivery, endpoint, outcome, attemptNumber, now);
        EndpointUpdate endpointUpdate = endpointUpdate(endpoint, result, now);
        if (endpointUpdate instanceof EndpointUpdate.Disable disable && !(result instanceof Gone)) {
            result = new Rejected("endpoint disabled: " + disable.reason() + "; last attempt: " + describe(outcome));
        }
        Delivery updated = switch (result) {
            case Delivered d -> delivery.withStatus(DeliveryStatus.DELIVERED, attemptNumber, null,
                    outcome.statusCode(), "", now);
            case Retry r -> delivery.withStatus(DeliveryStatus.RETRYING, attemptNumber, r.at(),
                    outcome.statusCode(), r.reason(), now);
            case Gone g -> delivery.withStatus(DeliveryStatus.FAILED, attemptNumber, null, outcome.statusCode(),
                    g.reason(), now);
            case Rejected r -> delivery.withStatus(DeliveryStatus.FAILED, attemptNumber, null, outcome.statusCode(),
                    r.reason(), now);
            case Exhausted e -> delivery.withStatus(DeliveryStatus.FAILED, attemptNumber, null,
                    outcome.statusCode(), e.reason(), now);
            case Cancelled c -> throw new IllegalStateException("an attempt never yields Cancelled");
            case Parked p -> throw new IllegalStateException("an attempt never yields Parked");
        };
        return new Transition(updated, result, endpointUpdate, attempt);
    }

    /**
     * FAILED without an HTTP attempt, for requests that can never be sent (payload too large, invalid URL
     * found before sending, unknown event type…).
     */
    public Transition reject(Delivery delivery, String reason, Instant now) {
        requireOpen(delivery);
        Delivery updated = delivery.withStatus(DeliveryStatus.FAILED, delivery.attempts(), null,
                delivery.lastStatusCode(), reason, now);
        return new Transition(updated, new Rejected(reason), EndpointUpdate.unchanged(), null);
    }

    /**
     * Not attempted now, and not counted as an attempt: the endpoint's rate limit, concurrency cap or drain, or the
     * invocation's time budget, leaves no room. RETRYING again after {@code after}; FAILED (Exhausted) instead when
     * that would pass the max age, so a delivery that is deferred for ever still ends.
     */
    public Transition defer(Delivery delivery, Endpoint endpoint, Duration after, String reason, Instant now) {
        requireOpen(delivery);
        Instant at = now.plus(after);
        return pastMaxAge(delivery, endpoint, at, reason, now).orElseGet(() -> new Transition(
                delivery.withStatus(DeliveryStatus.RETRYING, delivery.attempts(), at, delivery.lastStatusCode(),
                        reason, now), new Retry(at, after, reason), EndpointUpdate.unchanged(), null));
    }

    /** FAILED (Exhausted, no attempt counted) when waiting until {@code at} would pass the delivery's max age. */
    private Optional<Transition> pastMaxAge(Delivery delivery, Endpoint endpoint, Instant at, String reason,
                                            Instant now) {
        Duration maxAge = endpoint.scheduleOr(schedule).maxAge();
        if (!at.isAfter(delivery.createdAt().plus(maxAge))) {
            return Optional.empty();
        }
        String why = "max age " + maxAge + " reached after " + delivery.attempts() + " attempts; last: " + reason;
        Delivery failed = delivery.withStatus(DeliveryStatus.FAILED, delivery.attempts(), null,
                delivery.lastStatusCode(), why, now);
        return Optional.of(new Transition(failed, new Exhausted(why), EndpointUpdate.unchanged(), null));
    }

    /**
     * Not attempted now, and not counted as an attempt: the endpoint's circuit is open until {@code until}. Parked
     * (RETRYING, due at {@code until}, no queue message: the sweeper releases it when the circuit allows); FAILED
     * (Exhausted) instead when {@code until} is past the max age, as {@link #defer} words it.
     */
    public Transition park(Delivery delivery, Endpoint endpoint, Instant until, String reason, Instant now) {
        requireOpen(delivery);
        return pastMaxAge(delivery, endpoint, until, reason, now).orElseGet(() -> new Transition(
                delivery.park(until, reason, now), new Parked(until, reason), EndpointUpdate.unchanged(), null));
    }

    /** CANCELLED without an HTTP attempt (e.g. the endpoint was disabled before this attempt). */
    public Transition cancel(Delivery delivery, String reason, Instant now) {
        requireOpen(delivery);
        Delivery updated = delivery.withStatus(DeliveryStatus.CANCELLED, delivery.attempts(), null,
                delivery.lastStatusCode(), reason, now);
        return new Transition(updated, new Cancelled(reason), EndpointUpdate.unchanged(), null);
    }

    private DeliveryResult verdict(Delivery delivery, Endpoint endpoint, HttpOutcome outcome, int attemptNumber,
                                   Instant now) {
        if (outcome.successful()) {
            return new Delivered(outcome.statusCode());
        }
        String reason = describe(outcome);
        if (outcome.hasResponse() && outcome.statusCode() == 410) {
            return new Gone("HTTP 410 Gone: endpoint " + endpoint.id() + " disabled");
        }
        if (!outcome.hasResponse() && outcome.errorKind().permanent()) {
            return new Rejected(reason);
        }
        RetrySchedule effective = endpoint.scheduleOr(schedule);
        Optional<Duration> scheduled = effective.delayAfter(attemptNumber);
        if (scheduled.isEmpty()) {
            return new Exhausted("retries exhausted after " + attemptNumber + " attempts; last: " + reason);
        }
        Duration delay = honouredRetryAfter(outcome, now).orElseGet(() -> jitter.apply(scheduled.get()));
        Instant at = now.plus(delay);
        Instant deadline = delivery.createdAt().plus(effective.maxAge());
        if (at.isAfter(deadline)) {
            return new Exhausted("max age " + effective.maxAge() + " reached after " + attemptNumber
                    + " attempts; last: " + reason);
        }
        return new Retry(at, delay, reason);
    }

    /** Retry-After from a 429 or 503, capped at {@link #retryAfterCap}. */
    Optional<Duration> honouredRetryAfter(HttpOutcome outcome, Instant now) {
        if (!outcome.hasResponse() || (outcome.statusCode() != 429 && outcome.statusCode() != 503)) {
            return Optional.empty();
        }
        return RetryAfter.parse(outcome.retryAfter(), now)
                .map(d -> d.compareTo(retryAfterCap) > 0 ? retryAfterCap : d);
    }

    private EndpointUpdate endpointUpdate(Endpoint endpoint, DeliveryResult result, Instant now) {
        return switch (result) {
            case Delivered d -> endpoint.firstFailureAt() != null ? new EndpointUpdate.Healthy()
                    : EndpointUpdate.unchanged();
            case Gone g -> new EndpointUpdate.Disable(g.reason());
            case Retry r -> failing(endpoint, now);
            case Rejected r -> failing(endpoint, now);
            case Exhausted e -> failing(endpoint, now);
            case Cancelled c -> EndpointUpdate.unchanged();
            case Parked p -> EndpointUpdate.unchanged();
        };
    }

    private EndpointUpdate failing(Endpoint endpoint, Instant now) {
        Instant since = endpoint.firstFailureAt();
        if (since == null) {
            return new EndpointUpdate.Failing(now);
        }
        if (!now.isBefore(since.plus(autoDisableAfter))) {
            return new EndpointUpdate.Disable("only failures since " + since + " (auto-disable after "
                    + autoDisableAfter.toDays() + " days)");
        }
        return EndpointUpdate.unchanged();
    }

    private static String describe(HttpOutcome outcome) {
        if (!outcome.hasResponse()) {
            return outcome.summary();
        }
        StringBuilder sb = new StringBuilder("HTTP ").append(outcome.statusCode());
        int s = outcome.statusCode();
        if (s >= 300 && s < 400) {
            sb.append(" (redirect not followed");
            if (!outcome.location().isEmpty()) {
                sb.append(", Location: ").append(truncate(outcome.location(), 200));
            }
            sb.append(')');
        }
        if (!outcome.bodySnippet().isBlank()) {
            sb.append(": ").append(truncate(outcome.bodySnippet().strip(), 200));
        }
        return sb.toString();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static void requireOpen(Delivery delivery) {
        if (delivery.status().terminal()) {
            throw new IllegalStateException("delivery " + delivery.id() + " is already " + delivery.status());
        }
    }
}
