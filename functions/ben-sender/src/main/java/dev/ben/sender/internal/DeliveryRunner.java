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
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** One attempt of a delivery and the bookkeeping after its state was written; shared by notify and retry. */
public final class DeliveryRunner {

    private final AttemptLog attempts;
    private final EndpointStore endpoints;
    private final RetryQueue queue;
    private final WebhookSender sender;
    private final Function<Endpoint, Signer> signers;
    private final DeliveryPolicy policy;
    private final Clock clock;
    private final Telemetry telemetry;

    public DeliveryRunner(AttemptLog attempts, EndpointStore endpoints, RetryQueue queue, WebhookSender sender,
                          Function<Endpoint, Signer> signers, DeliveryPolicy policy, Clock clock,
                          Telemetry telemetry) {
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

    /** POSTs the delivery's payload to the endpoint (never throws for HTTP/network failures) and decides. */
    public Transition attempt(StoredDelivery delivery, Endpoint endpoint) {
        if (delivery.payload() == null) {
            return policy.reject(delivery.delivery(), "payload missing from the store", clock.instant());
        }
        HttpOutcome outcome = sender.send(new WebhookRequest(endpoint.url(), delivery.delivery().eventId(),
                delivery.payload(), signers.apply(endpoint)));
        telemetry.metric("attemptLatencyMs", outcome.latency().toMillis());
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
    public void afterWrite(StoredDelivery before, Transition t, java.util.List<dev.ben.core.model.Attempt> attemptBuffer) {
        if (t.hasAttempt()) {
            if (attemptBuffer != null) {
                attemptBuffer.add(t.attempt());
            } else {
                flush(java.util.List.of(t.attempt()));
            }
        }
        applyEndpointUpdate(before.delivery().endpointId(), t.endpointUpdate());
        switch (t.result()) {
            case DeliveryResult.Delivered d -> telemetry.metric("delivered", 1);
            case DeliveryResult.Retry r -> telemetry.metric("retried", 1);
            case DeliveryResult.Cancelled c -> telemetry.metric("cancelled", 1);
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
    public void flush(java.util.List<dev.ben.core.model.Attempt> buffered) {
        if (buffered.isEmpty()) {
            return;
        }
        try {
            attempts.recordAll(java.util.List.copyOf(buffered));
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
        if (!t.result().reason().isEmpty()) {
            f.put("reason", t.result().reason());
        }
        if (d.status() == dev.ben.core.model.DeliveryStatus.FAILED) {
            telemetry.warn("delivery " + d.status(), f);
        } else {
            telemetry.info("delivery " + d.status(), f);
        }
    }
}
