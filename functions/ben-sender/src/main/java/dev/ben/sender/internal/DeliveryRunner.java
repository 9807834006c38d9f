package dev.ben.sender.internal;

import dev.ben.core.delivery.DeliveryPolicy;
import dev.ben.core.delivery.DeliveryResult;
import dev.ben.core.delivery.EndpointUpdate;
import dev.ben.core.delivery.Transition;
import dev.ben.core.http.HttpOutcome;
import dev.ben.core.http.Signer;
import dev.ben.core.http.WebhookRequest;
import dev.ben.core.http.WebhookSender;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Attempt;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** One attempt of a delivery and the bookkeeping after its state was written; shared by notify and retry. */
public final class DeliveryRunner {

    /** A delivery the budget left no time for comes back this soon (SQS counts delays in whole seconds). */
    static final Duration BUDGET_DEFERRAL = Duration.ofSeconds(1);
    /** Budgets beyond this are "no budget": the sender's own request timeout applies. */
    private static final Duration LONGEST_BUDGET = Duration.ofHours(1);

    private final AttemptLog attempts;
    private final EndpointStore endpoints;
    private final RetryQueue queue;
    private final WebhookSender sender;
    private final Function<Endpoint, Signer> signers;
    private final DeliveryPolicy policy;
    private final Clock clock;
    private final Telemetry telemetry;
    private final EndpointGate gate;

    /** Without circuit breakers or shared rate limits (unit tests of the rest). */
    public DeliveryRunner(AttemptLog attempts, EndpointStore endpoints, RetryQueue queue, WebhookSender sender,
                          Function<Endpoint, Signer> signers, DeliveryPolicy policy, Clock clock,
                          Telemetry telemetry) {
        this(attempts, endpoints, queue, sender, signers, policy, clock, telemetry, EndpointGate.open(clock));
    }

    public DeliveryRunner(AttemptLog attempts, EndpointStore endpoints, RetryQueue queue, WebhookSender sender,
                          Function<Endpoint, Signer> signers, DeliveryPolicy policy, Clock clock,
                          Telemetry telemetry, EndpointGate gate) {
        this.gate = gate;
        this.attempts = attempts;
        this.endpoints = endpoints;
        this.queue = queue;
        this.sender = sender;
        this.signers = signers;
        this.policy = policy;
        this.clock = clock;
        this.telemetry = telemetry;
    }

    public DeliveryPolicy policy() {
        return policy;
    }

    public Clock clock() {
        return clock;
    }

    /** As {@link #attempt(StoredDelivery, Endpoint, Budget)} with no budget beyond the HTTP timeout. */
    public Transition attempt(StoredDelivery delivery, Endpoint endpoint) {
        return attempt(delivery, endpoint, new Budget(Instant.MAX));
    }

    /**
     * Decides and, when the endpoint lets it, POSTs the delivery's payload within what is left of {@code budget}
     * (never throws for HTTP/network failures). Not sent: a malformed signing secret (FAILED with the reason), the
     * budget used up or the endpoint's rate limit reached (deferred, not counted), its circuit open (parked, not
     * counted: no queue message until the circuit lets it go).
     */
    public Transition attempt(StoredDelivery delivery, Endpoint endpoint, Budget budget) {
        Instant now = clock.instant();
        Delivery d = delivery.delivery();
        if (delivery.payload() == null) {
            return policy.reject(d, "payload missing from the store", now);
        }
        Signer signer;
        try {
            signer = signers.apply(endpoint);
        } catch (RuntimeException malformed) {
            telemetry.metric("malformedSecrets", 1);
            return policy.reject(d, "endpoint " + endpoint.id() + " has a malformed signing secret ("
                    + malformed.getMessage() + "): set a valid one (ben endpoints rotate-secret " + endpoint.id()
                    + "), then ben recover --endpoint " + endpoint.id(), now);
        }
        if (!budget.allowsAttempt(now)) {
            telemetry.metric("budgetDeferred", 1);
            return policy.defer(d, endpoint, BUDGET_DEFERRAL, "deferred: the invocation's time budget was used up"
                    + " before this attempt could start", now);
        }
        return switch (gate.admit(endpoint)) {
            case EndpointGate.Skip skip -> policy.park(d, endpoint, skip.until(), skip.reason(), now);
            case EndpointGate.Defer defer -> policy.defer(d, endpoint, defer.after(), defer.reason(), now);
            case EndpointGate.Go go -> send(delivery, endpoint, signer, go, budget);
        };
    }

    private Transition send(StoredDelivery delivery, Endpoint endpoint, Signer signer, EndpointGate.Go go,
                            Budget budget) {
        WebhookRequest request = new WebhookRequest(endpoint.url(), delivery.delivery().eventId(),
                delivery.payload(), signer).withHeaders(endpoint.headers());
        Duration left = budget.left(clock.instant());
        HttpOutcome outcome = sender.send(left.compareTo(LONGEST_BUDGET) < 0 ? request.withTimeout(left) : request,
                budget.cutOff());
        telemetry.metric("attemptLatencyMs", outcome.latency().toMillis());
        gate.after(endpoint, go, outcome);
        return policy.next(delivery.delivery(), endpoint, outcome, clock.instant());
    }

    /**
     * After the delivery's new state was written: the attempt row, the endpoint's health, the DLQ copy of a
     * failure, metrics and a log line. Failures here are logged and counted, not thrown: the state is already
     * durable and the retry/sweeper path does not depend on them.
     */
    public void afterWrite(StoredDelivery before, Transition t) {
        afterWrite(before, t, null);
    }

    /**
     * As {@link #afterWrite(StoredDelivery, Transition)}, but the attempt row is added to {@code attemptBuffer}
     * (when not null) for one batched write by {@link #flush} at the end of the invocation.
     */
    public void afterWrite(StoredDelivery before, Transition t, List<Attempt> attemptBuffer) {
        if (t.hasAttempt()) {
            if (attemptBuffer != null) {
                attemptBuffer.add(t.attempt());
            } else {
                flush(List.of(t.attempt()));
            }
        }
        applyEndpointUpdate(before.delivery().endpointId(), t.endpointUpdate());
        switch (t.result()) {
            case DeliveryResult.Delivered d -> telemetry.metric("delivered", 1);
            case DeliveryResult.Retry r -> telemetry.metric(t.hasAttempt() ? "retried" : "deferred", 1);
            case DeliveryResult.Cancelled c -> telemetry.metric("cancelled", 1);
            case DeliveryResult.Parked p -> telemetry.metric("parked", 1);
            case DeliveryResult.Gone g -> failed(before, t);
            case DeliveryResult.Rejected r -> failed(before, t);
            case DeliveryResult.Exhausted e -> failed(before, t);
        }
        log(before, t);
    }

    /**
     * Writes buffered attempt rows. Failures are logged and counted, not thrown: the delivery item already holds
     * the attempt count and the last status/error.
     */
    public void flush(List<Attempt> buffered) {
        if (buffered.isEmpty()) {
            return;
        }
        try {
            attempts.recordAll(List.copyOf(buffered));
        } catch (RuntimeException e) {
            telemetry.error("attempt history write failed", Map.of("attempts", buffered.size(),
                    "error", String.valueOf(e.getMessage())));
            telemetry.metric("attemptLogFailed", buffered.size());
        }
    }

    private void failed(StoredDelivery before, Transition t) {
        telemetry.metric("failed", 1);
        try {
            queue.deadLetter(before.with(t.delivery(), ""), t.result().reason());
        } catch (RuntimeException e) {
            telemetry.error("copy to the dead-letter queue failed (the delivery is FAILED in the store)",
                    Map.of("deliveryId", before.id(), "error", String.valueOf(e.getMessage())));
            telemetry.metric("deadLetterCopyFailed", 1);
        }
    }

    private void applyEndpointUpdate(String endpointId, EndpointUpdate update) {
        try {
            switch (update) {
                case EndpointUpdate.Unchanged u -> { }
                case EndpointUpdate.Healthy h -> endpoints.clearFailing(endpointId);
                case EndpointUpdate.Failing f -> endpoints.markFailing(endpointId, f.since());
                case EndpointUpdate.Disable d -> {
                    endpoints.disable(endpointId, d.reason(), clock.instant());
                    telemetry.warn("endpoint disabled", Map.of("endpointId", endpointId, "reason", d.reason()));
                    telemetry.metric("endpointsDisabled", 1);
                }
            }
        } catch (RuntimeException e) {
            telemetry.error("endpoint update failed", Map.of("endpointId", endpointId, "update",
                    update.getClass().getSimpleName(), "error", String.valueOf(e.getMessage())));
            telemetry.metric("endpointUpdateFailed", 1);
        }
    }

    private void log(StoredDelivery before, Transition t) {
        var d = t.delivery();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("deliveryId", d.id());
        f.put("eventId", d.eventId());
        f.put("endpointId", d.endpointId());
        f.put("status", d.status().name());
        f.put("attempts", d.attempts());
        f.put("statusCode", d.lastStatusCode());
        if (t.hasAttempt()) {
            f.put("latencyMs", t.attempt().latency().toMillis());
        }
        if (d.nextAttemptAt() != null) {
            f.put("nextAttemptAt", d.nextAttemptAt().toString());
        }
        if (d.parked()) {
            f.put("parked", true);
        }
        if (!t.result().reason().isEmpty()) {
            f.put("reason", t.result().reason());
        }
        if (d.status() == DeliveryStatus.FAILED) {
            telemetry.warn("delivery " + d.status(), f);
        } else {
            telemetry.info("delivery " + d.status(), f);
        }
    }
}
