package dev.ben.sender.internal;

import dev.ben.core.delivery.DeliveryResult;
import dev.ben.core.delivery.Transition;
import dev.ben.core.model.Attempt;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.EventIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * retry: one SQS message = one delivery id. The delivery, its payload and its endpoint are loaded from the store.
 * Delivered or terminal → the message is acknowledged (deleted: not reported). Failure → a new message is sent with
 * the next step's delay and the received one is acknowledged. Waits longer than SQS's 15-minute DelaySeconds are
 * hops: a message arriving before the delivery is due is replaced by one delayed by what remains. So a waiting
 * retry is a delayed message (backlog, unlimited), never an in-flight one (about 120,000 per queue at most), and
 * each hop restarts the queue's retention clock. A delivery whose endpoint's circuit is open is parked (one row write,
 * no new message, the received one acknowledged): the sweeper releases it when the circuit allows.
 */
public final class RetryService {

    /** An arrival this much before nextAttemptAt counts as early (the message is hidden again). */
    static final Duration EARLY = Duration.ofMillis(500);

    private final DeliveryStore deliveries;
    private final EndpointStore endpoints;
    private final UrlEndpoints urlEndpoints;
    private final RetryQueue queue;
    private final DeliveryRunner runner;
    private final Telemetry telemetry;
    private final Duration attemptBudget;
    private final Duration budgetMargin;

    /** Without a budget beyond the HTTP timeout. */
    public RetryService(DeliveryStore deliveries, EndpointStore endpoints, UrlEndpoints urlEndpoints,
                        RetryQueue queue, DeliveryRunner runner, Telemetry telemetry) {
        this(deliveries, endpoints, urlEndpoints, queue, runner, telemetry, Duration.ofDays(1), Duration.ZERO);
    }

    /**
     * @param attemptBudget the longest a batch waits for receivers
     * @param budgetMargin  kept free at the end of the invocation's remaining time
     */
    public RetryService(DeliveryStore deliveries, EndpointStore endpoints, UrlEndpoints urlEndpoints,
                        RetryQueue queue, DeliveryRunner runner, Telemetry telemetry, Duration attemptBudget,
                        Duration budgetMargin) {
        this.attemptBudget = attemptBudget;
        this.budgetMargin = budgetMargin;
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.urlEndpoints = urlEndpoints;
        this.queue = queue;
        this.runner = runner;
        this.telemetry = telemetry;
    }

    /**
     * What becomes of a processed message: it is deleted (not reported). Every wait is a new delayed message, so a
     * message is kept (reported in batchItemFailures, back after its visibility timeout) only when its processing
     * throws.
     */
    public enum Ack {
        DONE
    }

    /** One received message. */
    public record Message(String messageId, String body, String token) {
    }

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * Processes a batch in parallel (each message is independent); returns the ids of the messages to keep
     * (report in {@code batchItemFailures}), including those whose processing threw (store or queue unavailable).
     */
    public List<String> processBatch(List<Message> messages) {
        return processBatch(messages, -1);
    }

    /**
     * As {@link #processBatch(List)}, attempts ending within the budget and never past the invocation's
     * {@code remainingMillis} (negative = unknown) minus the margin.
     */
    public List<String> processBatch(List<Message> messages, long remainingMillis) {
        Budget budget = Budget.of(runner.clock().instant(), attemptBudget, remainingMillis, budgetMargin);
        List<Attempt> rows = Collections.synchronizedList(new ArrayList<>());
        var futures = messages.stream().map(m -> executor.submit(() -> process(m.body(), m.token(), rows, budget)))
                .toList();
        List<String> keep = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            try {
                futures.get(i).get();
            } catch (Exception e) { // the message comes back after its visibility timeout (or the sweeper's)
                Throwable cause = e.getCause() == null ? e : e.getCause();
                telemetry.error("retry message failed", Map.of("messageId", m.messageId(), "error",
                        String.valueOf(cause)));
                telemetry.metric("retryErrors", 1);
                keep.add(m.messageId());
            }
        }
        runner.flush(rows);
        return keep;
    }

    /**
     * @param body  the message body: a delivery id
     * @param token the message's {@code ben-token} attribute, empty when absent
     */
    public Ack process(String body, String token) {
        List<Attempt> rows = new ArrayList<>();
        try {
            return process(body, token, rows, new Budget(Instant.MAX));
        } finally {
            runner.flush(rows);
        }
    }

    private Ack process(String body, String token, List<Attempt> rows, Budget budget) {
        String deliveryId = deliveryIdOf(body);
        if (!deliveryId.startsWith(EventIds.DELIVERY_PREFIX) || deliveryId.length() > 100) {
            queue.deadLetterRaw(body, "retry message body is not a delivery id (expected " + EventIds.DELIVERY_PREFIX
                    + "...)");
            telemetry.error("malformed retry message moved to the dead-letter queue",
                    Map.of("body", body == null ? "" : body.substring(0, Math.min(100, body.length()))));
            telemetry.metric("malformedMessages", 1);
            return Ack.DONE;
        }
        Optional<StoredDelivery> found = deliveries.find(deliveryId);
        if (found.isEmpty()) {
            queue.deadLetterRaw(body, "unknown delivery " + deliveryId);
            telemetry.error("retry message for an unknown delivery", Map.of("deliveryId", deliveryId));
            telemetry.metric("unknownDeliveries", 1);
            return Ack.DONE;
        }
        StoredDelivery stored = found.get();
        if (stored.delivery().status().terminal()) {
            telemetry.metric("alreadyTerminal", 1);
            return Ack.DONE;
        }
        if (!token.isEmpty() && !token.equals(stored.queueToken())) {
            telemetry.metric("staleMessages", 1); // a newer message (e.g. from the sweeper) drives this delivery
            return Ack.DONE;
        }
        Instant now = runner.clock().instant();
        Instant due = stored.delivery().nextAttemptAt();
        if (due != null && due.isAfter(now.plus(EARLY))) {
            queue.send(deliveryId, stored.queueToken(), Duration.between(now, due)); // the next hop of the wait
            telemetry.metric("earlyArrivals", 1);
            return Ack.DONE;
        }
        Transition t = decide(stored, now, budget);
        // a parked delivery has no message: a duplicate of this one (SQS delivers at least once) must find it stale
        String nextToken = t.result() instanceof DeliveryResult.Parked ? "" : stored.queueToken();
        if (!deliveries.transition(stored, t.delivery(), nextToken)) {
            telemetry.metric("staleTransitions", 1);
            return Ack.DONE;
        }
        runner.afterWrite(stored, t, rows);
        if (t.result() instanceof DeliveryResult.Retry retry) {
            // throws → the message is kept and comes back after the queue's visibility timeout, finds the delivery
            // not yet due and sends the next hop then
            queue.send(deliveryId, stored.queueToken(), retry.after());
        }
        return Ack.DONE;
    }

    private static final Pattern JSON_ID = Pattern.compile("\\{\\s*\"deliveryId\"\\s*:\\s*\"([^\"]{1,100})\"\\s*}");

    /** The body is {@code {"deliveryId":"dlv_..."}}; a bare id is accepted too. */
    static String deliveryIdOf(String body) {
        String b = body == null ? "" : body.trim();
        var m = JSON_ID.matcher(b);
        return m.matches() ? m.group(1) : b;
    }

    private Transition decide(StoredDelivery stored, Instant now, Budget budget) {
        String endpointId = stored.delivery().endpointId();
        if (EventIds.isUrlEndpoint(endpointId)) {
            return decideUrl(stored, now, budget);
        }
        Optional<Endpoint> endpoint;
        try {
            endpoint = endpoints.find(endpointId);
        } catch (IllegalArgumentException malformed) {
            return runner.policy().reject(stored.delivery(), "endpoint " + endpointId + " is misconfigured: "
                    + malformed.getMessage(), now);
        }
        if (endpoint.isEmpty()) {
            return runner.policy().reject(stored.delivery(), "endpoint " + endpointId + " no longer exists", now);
        }
        if (!endpoint.get().enabled()) {
            return runner.policy().reject(stored.delivery(), "endpoint " + endpointId + " is disabled: "
                    + endpoint.get().disabledReason(), now);
        }
        return runner.attempt(stored, endpoint.get(), budget);
    }

    /** A per-record URL delivery: the URL from the delivery, allowed and signed by the tenant as it is now. */
    private Transition decideUrl(StoredDelivery stored, Instant now, Budget budget) {
        if (stored.url().isEmpty() || stored.delivery().tenantId().isEmpty()) {
            return runner.policy().reject(stored.delivery(), "per-record URL delivery has no stored URL or tenant",
                    now);
        }
        return switch (urlEndpoints.resolve(stored.delivery().tenantId(), stored.url(), stored.eventType())) {
            case UrlEndpoints.Resolution.Resolved r -> runner.attempt(stored, r.endpoint(), budget);
            case UrlEndpoints.Resolution.Refused r -> runner.policy().reject(stored.delivery(), r.reason(), now);
        };
    }
}
