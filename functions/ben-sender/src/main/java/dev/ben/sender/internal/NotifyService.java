package dev.ben.sender.internal;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import dev.ben.core.delivery.DeliveryResult;
import dev.ben.core.delivery.Transition;
import dev.ben.core.http.CutOff;
import dev.ben.core.model.Attempt;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * notify: stream records → events → one delivery per receiving endpoint, attempted in parallel (virtual threads,
 * bounded). Returns the sequence numbers of records whose store or queue writes failed, so the stream redelivers
 * them; deterministic ids make the redelivery idempotent. Never sleeps.
 *
 * <p>Who receives an event: the enabled endpoints of its tenant subscribed to its type ({@link Endpoint#receives};
 * a tenant-less event only tenant-less endpoints). An event with a per-record URL goes to that URL only, through
 * {@link UrlEndpoints}: refused URLs (unknown tenant, host not allowed) become FAILED deliveries with the reason.
 * Each event gets one small item in the events table (written in one batch per invocation, before the
 * deliveries), for the status API; an event nobody receives gets it too, with the reason.
 *
 * <p>Isolation: attempts end within the time budget (never past the invocation's remaining time minus a margin),
 * each endpoint has at most {@link EndpointSlots#perEndpoint()} attempts in flight per invocation, and the
 * endpoint's rate limit ({@link EndpointGate}) defers what it refuses into the retry queue, its open circuit parks
 * them in the store (no queue message). In SAFE mode every delivery row is written before the first POST of the
 * batch.
 */
public final class NotifyService {

    /** Token of the retry message notify enqueues after a failed first attempt. */
    static final String FIRST_TOKEN = "n1";
    /** How often a batch waiting for its attempts looks for stragglers to cut off. */
    private static final Duration STRAGGLER_CHECK = Duration.ofMillis(20);

    private final EventMapper mapper;
    private final EndpointStore endpoints;
    private final UrlEndpoints urlEndpoints;
    private final EventLog events;
    private final DeliveryStore deliveries;
    private final RetryQueue queue;
    private final DeliveryRunner runner;
    private final NotifyMode mode;
    private final int maxPayloadBytes;
    private final Semaphore permits;
    private final Telemetry telemetry;
    private final NotifyLimits limits;
    private final EndpointSlots slots;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** With the default budget, margin, per-endpoint slots and straggler grace ({@link SenderConfig}). */
    public NotifyService(EventMapper mapper, EndpointStore endpoints, UrlEndpoints urlEndpoints, EventLog events,
                         DeliveryStore deliveries, RetryQueue queue, DeliveryRunner runner, NotifyMode mode,
                         int concurrency, int maxPayloadBytes, Telemetry telemetry) {
        this(mapper, endpoints, urlEndpoints, events, deliveries, queue, runner, mode, concurrency, maxPayloadBytes,
                telemetry, NotifyLimits.defaults());
    }

    /** @param limits how long to wait for receivers, and how many attempts per endpoint */
    public NotifyService(EventMapper mapper, EndpointStore endpoints, UrlEndpoints urlEndpoints, EventLog events,
                         DeliveryStore deliveries, RetryQueue queue, DeliveryRunner runner, NotifyMode mode,
                         int concurrency, int maxPayloadBytes, Telemetry telemetry, NotifyLimits limits) {
        this.limits = limits;
        this.slots = limits.slots();
        this.mapper = mapper;
        this.endpoints = endpoints;
        this.urlEndpoints = urlEndpoints;
        this.events = events;
        this.deliveries = deliveries;
        this.queue = queue;
        this.runner = runner;
        this.mode = mode;
        this.maxPayloadBytes = maxPayloadBytes;
        this.permits = new Semaphore(concurrency);
        this.telemetry = telemetry;
    }

    /**
     * One delivery to make: to {@code endpoint}, or — when {@code refusal} is not empty — a FAILED delivery under
     * {@code endpointId} with that reason (a per-record URL that may not be used).
     */
    private record Task(String sequenceNumber, Event event, String endpointId, Endpoint endpoint, String refusal) {
        static Task to(String seq, Event event, Endpoint endpoint) {
            return new Task(seq, event, endpoint.id(), endpoint, "");
        }

        String url() {
            return event.hasNotifyUrl() ? event.notifyUrl() : "";
        }
    }

    /** @return sequence numbers of the records to report in {@code batchItemFailures} (stream order) */
    public List<String> process(List<DynamodbStreamRecord> records) {
        return process(records, -1);
    }

    /**
     * @param remainingMillis the invocation's remaining time ({@code Context.getRemainingTimeInMillis()}), negative
     *                        when unknown: attempts end within the budget and never past it minus the margin
     * @return sequence numbers of the records to report in {@code batchItemFailures} (stream order)
     */
    public List<String> process(List<DynamodbStreamRecord> records, long remainingMillis) {
        Instant now = runner.clock().instant();
        Budget budget = Budget.of(now, limits.budget(), remainingMillis, limits.margin());
        Set<String> failed = Collections.synchronizedSet(new LinkedHashSet<>());
        List<Task> tasks = new ArrayList<>();
        List<Unreceived> unreceived = new ArrayList<>();
        for (DynamodbStreamRecord record : records == null ? List.<DynamodbStreamRecord>of() : records) {
            mapRecord(record, now, tasks, unreceived, failed);
        }
        recordEvents(tasks, unreceived, failed);
        List<Task> open = tasks.stream().filter(t -> !failed.contains(t.sequenceNumber())).toList();
        List<Attempt> attemptRows = Collections.synchronizedList(new ArrayList<>());
        if (mode == NotifyMode.FAST) {
            Map<String, StoredDelivery> existing = existingDeliveries(open, failed);
            List<Task> fast = open.stream().filter(t -> !failed.contains(t.sequenceNumber())).toList();
            runAll(fast, failed, budget, (task, slot, attemptBudget) -> deliverFast(task, existing, slot,
                    attemptBudget, attemptRows));
        } else {
            // every delivery row exists before the first POST: a crash or timeout mid-batch leaves PENDING rows
            // (the stream redelivers the record, the sweeper re-drives them), never a task without a trace
            Map<Task, StoredDelivery> ready = new ConcurrentHashMap<>();
            runAll(open, failed, null, (task, slot, none) -> create(task, attemptRows)
                    .ifPresent(stored -> ready.put(task, stored)));
            List<Task> toSend = open.stream().filter(ready::containsKey)
                    .filter(t -> !failed.contains(t.sequenceNumber())).toList();
            runAll(toSend, failed, budget, (task, slot, attemptBudget) -> attempt(task, ready.get(task), slot,
                    attemptBudget, attemptRows));
        }
        runner.flush(attemptRows); // one BatchWriteItem per 25 attempt rows instead of a PutItem each
        return List.copyOf(failed);
    }

    private void mapRecord(DynamodbStreamRecord record, Instant now, List<Task> tasks, List<Unreceived> unreceived,
                           Set<String> failed) {
        String seq = sequenceNumber(record);
        try {
            switch (mapper.map(record, now)) {
                case EventMapper.Mapped.Ignored ignored -> telemetry.metric("ignoredRecords", 1);
                case EventMapper.Mapped.Malformed m -> skipped(record, seq, m.reason());
                case EventMapper.Mapped.Events e -> {
                    List<Task> recordTasks = new ArrayList<>();
                    for (Event event : e.events()) {
                        List<Task> eventTasks = tasksOf(seq, event);
                        if (eventTasks.isEmpty()) {
                            unreceived.add(noSubscriber(seq, event));
                        }
                        recordTasks.addAll(eventTasks);
                        telemetry.metric("events", 1);
                    }
                    tasks.addAll(recordTasks); // only once the whole record mapped: a failure reports it whole
                }
            }
        } catch (RuntimeException e) {
            // the store could not be read (e.g. throttled): let the stream redeliver this record
            failed.add(seq);
            telemetry.error("record failed, reported for redelivery", Map.of("sequenceNumber", seq,
                    "error", String.valueOf(e)));
        }
    }

    /** An event nobody receives: logged, counted (alarmed) and kept on the events table with the reason. */
    private Unreceived noSubscriber(String seq, Event event) {
        String reason = "no endpoint subscribes to " + event.type() + tenantSuffix(event);
        telemetry.warn(reason, Map.of("eventId", event.id(), "entityId", event.entityId()));
        telemetry.metric("eventsWithoutSubscribers", 1);
        return new Unreceived(seq, event, reason);
    }

    /** An event no endpoint receives, and why. */
    private record Unreceived(String sequenceNumber, Event event, String reason) {
    }

    /** One step of a task: whether it got one of its endpoint's slots, and its own budget (null: no budget). */
    @FunctionalInterface
    private interface Step {
        void run(Task task, boolean slot, Budget budget);
    }

    /**
     * Runs one step of every task in parallel (bounded); a task whose step throws reports its record. With a
     * {@code budget}, each task first waits (at most until the budget ends) for one of its endpoint's slots — before
     * taking a parallel permit, so tasks queued behind a slow endpoint never hold permits other endpoints need — the
     * step learns whether it got one, and stragglers are cut off once the rest is done ({@link StragglerWatch}).
     */
    private void runAll(List<Task> tasks, Set<String> failed, Budget budget, Step step) {
        StragglerWatch watch = budget == null ? null
                : new StragglerWatch(tasks.size(), limits.stragglerGrace());
        List<Future<?>> futures = new ArrayList<>();
        for (Task task : tasks) {
            futures.add(executor.submit(() -> {
                runStep(task, budget, watch, step);
                return null;
            }));
        }
        for (int i = 0; i < futures.size(); i++) {
            try {
                await(futures.get(i), watch);
            } catch (Exception e) {
                reportFailed(tasks.get(i), e, failed);
            }
        }
    }

    private void runStep(Task task, Budget budget, StragglerWatch watch, Step step) {
        if (budget == null) {
            permits.acquireUninterruptibly();
            try {
                step.run(task, false, null);
            } finally {
                permits.release();
            }
            return;
        }
        boolean slot = slots.acquire(task.endpointId(), budget.left(runner.clock().instant()));
        permits.acquireUninterruptibly();
        CutOff cutOff = watch.started();
        try {
            step.run(task, slot, budget.forAttempt(cutOff));
        } finally {
            watch.finished(cutOff);
            permits.release();
            if (slot) {
                slots.release(task.endpointId());
            }
        }
    }

    /** Waits for one task, cutting off the batch's stragglers meanwhile. */
    private void await(Future<?> future, StragglerWatch watch) throws InterruptedException, ExecutionException {
        while (true) {
            try {
                future.get(STRAGGLER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillRunning) {
                int cut = watch == null ? 0 : watch.cutStragglers();
                if (cut > 0) {
                    telemetry.metric("stragglersCutOff", cut);
                }
            }
        }
    }

    private void reportFailed(Task task, Exception e, Set<String> failed) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        synchronized (failed) {
            failed.add(task.sequenceNumber());
        }
        telemetry.error("delivery write failed, record reported for redelivery", Map.of(
                "sequenceNumber", task.sequenceNumber(), "eventId", task.event().id(),
                "endpointId", task.endpointId(), "error", String.valueOf(cause)));
        telemetry.metric("recordsReported", 1);
    }

    /** The event's deliveries: to its per-record URL, or to the endpoints of its tenant subscribed to its type. */
    private List<Task> tasksOf(String seq, Event event) {
        if (event.hasNotifyUrl()) {
            return List.of(switch (urlEndpoints.resolve(event.tenantId(), event.notifyUrl(), event.type())) {
                case UrlEndpoints.Resolution.Resolved r -> Task.to(seq, event, r.endpoint());
                case UrlEndpoints.Resolution.Refused r -> new Task(seq, event, r.endpointId(), null, r.reason());
            });
        }
        return endpoints.subscribedTo(event.type(), event.tenantId()).stream().map(ep -> Task.to(seq, event, ep))
                .toList();
    }

    private static String tenantSuffix(Event event) {
        return event.tenantId().isEmpty() ? " (tenant-less event)" : " of tenant " + event.tenantId();
    }

    /**
     * One events-table item per event with deliveries, and per event nobody receives (with the reason), in one
     * batch; a failure reports the records.
     */
    private void recordEvents(List<Task> tasks, List<Unreceived> unreceived, Set<String> failed) {
        Map<String, List<String>> endpointIds = new LinkedHashMap<>();
        Map<String, EventRecord> byId = new LinkedHashMap<>();
        Map<String, String> sequenceOf = new LinkedHashMap<>();
        for (Unreceived u : unreceived) {
            if (!failed.contains(u.sequenceNumber())) {
                byId.put(u.event().id(), EventRecord.unreceived(u.event(), u.reason()));
                sequenceOf.put(u.event().id(), u.sequenceNumber());
            }
        }
        for (Task t : tasks) {
            if (!failed.contains(t.sequenceNumber())) {
                endpointIds.computeIfAbsent(t.event().id(), k -> new ArrayList<>()).add(t.endpointId());
                byId.put(t.event().id(), EventRecord.of(t.event(), endpointIds.get(t.event().id())));
                sequenceOf.put(t.event().id(), t.sequenceNumber());
            }
        }
        if (byId.isEmpty()) {
            return;
        }
        try {
            events.recordAll(List.copyOf(byId.values()));
        } catch (RuntimeException e) {
            failed.addAll(sequenceOf.values());
            telemetry.error("event items could not be written, records reported", Map.of("events", byId.size(),
                    "error", String.valueOf(e)));
            telemetry.metric("recordsReported", new LinkedHashSet<>(sequenceOf.values()).size());
        }
    }

    private Map<String, StoredDelivery> existingDeliveries(List<Task> tasks, Set<String> failed) {
        List<String> ids = tasks.stream().map(t -> Delivery.pending(t.event(), t.endpointId(), Instant.EPOCH).id())
                .toList();
        try {
            return ids.isEmpty() ? Map.of() : deliveries.findAll(ids);
        } catch (RuntimeException e) {
            tasks.forEach(t -> failed.add(t.sequenceNumber()));
            telemetry.error("reading existing deliveries failed, batch reported", Map.of("error", String.valueOf(e)));
            return Map.of();
        }
    }

    private StoredDelivery newDelivery(Task task) {
        Delivery pending = Delivery.pending(task.event(), task.endpointId(), runner.clock().instant());
        return StoredDelivery.of(task.event(), pending, task.url());
    }

    /**
     * SAFE, first step: the PENDING row (or, for a delivery that cannot be sent, its final row). Returns the delivery
     * to attempt, empty when there is nothing to send (settled, or a duplicate of a delivery already under way).
     */
    private Optional<StoredDelivery> create(Task task, List<Attempt> attemptRows) {
        StoredDelivery stored = newDelivery(task);
        if (settledWithoutSending(task, stored, attemptRows)) {
            return Optional.empty();
        }
        var found = deliveries.createIfAbsent(stored);
        if (found.isEmpty()) {
            return Optional.of(stored);
        }
        StoredDelivery before = found.get();
        boolean oursFromACrashedRun = before.delivery().status() == DeliveryStatus.PENDING
                && before.delivery().attempts() == 0 && before.queueToken().isEmpty();
        if (!oursFromACrashedRun) {
            telemetry.metric("duplicateDeliveries", 1);
            return Optional.empty();
        }
        return Optional.of(before);
    }

    /** SAFE, second step: the attempt (or its deferral) and the outcome's conditional write. */
    private void attempt(Task task, StoredDelivery stored, boolean slot, Budget budget, List<Attempt> attemptRows) {
        Transition t = decide(task, stored, slot, budget);
        String token = t.result() instanceof DeliveryResult.Retry ? FIRST_TOKEN : "";
        if (!deliveries.transition(stored, t.delivery(), token)) {
            telemetry.metric("staleTransitions", 1); // the sweeper took it over meanwhile
            return;
        }
        finish(stored, t, token, attemptRows);
    }

    /** FAST: attempt first, then one conditional put of the outcome. */
    private void deliverFast(Task task, Map<String, StoredDelivery> existing, boolean slot, Budget budget,
                             List<Attempt> attemptRows) {
        StoredDelivery stored = newDelivery(task);
        if (settledWithoutSending(task, stored, attemptRows)) {
            return;
        }
        if (existing.containsKey(stored.id())) {
            telemetry.metric("duplicateDeliveries", 1);
            return;
        }
        Transition t = decide(task, stored, slot, budget);
        String token = t.result() instanceof DeliveryResult.Retry ? FIRST_TOKEN : "";
        if (deliveries.createIfAbsent(stored.with(t.delivery(), token)).isPresent()) {
            telemetry.metric("duplicateDeliveries", 1);
            return;
        }
        finish(stored, t, token, attemptRows);
    }

    /** The attempt, or a deferral when the endpoint's slots in this invocation stayed taken until the budget ended. */
    private Transition decide(Task task, StoredDelivery stored, boolean slot, Budget budget) {
        if (slot) {
            return runner.attempt(stored, task.endpoint(), budget);
        }
        telemetry.metric("concurrencyDeferred", 1);
        return runner.policy().defer(stored.delivery(), task.endpoint(), DeliveryRunner.BUDGET_DEFERRAL,
                "deferred: " + slots.perEndpoint() + " attempts to endpoint " + task.endpointId()
                        + " were in flight until the time budget ran out", runner.clock().instant());
    }

    /**
     * Deliveries that are never sent get their final row at once, with the reason: a payload too large to store, a
     * refused per-record URL (FAILED), a disabled endpoint (CANCELLED: {@code ben recover} sends them once it is
     * enabled again). Returns false when the delivery is to be attempted.
     */
    private boolean settledWithoutSending(Task task, StoredDelivery stored, List<Attempt> attemptRows) {
        Instant now = runner.clock().instant();
        int size = task.event().payload().getBytes(StandardCharsets.UTF_8).length;
        if (size > maxPayloadBytes) {
            settle(stored, runner.policy().reject(stored.delivery(), "payload is " + size + " bytes; at most "
                    + maxPayloadBytes + " bytes can be stored for retries (DynamoDB item limit 400 KB): shrink the "
                    + "projection", now), true, attemptRows);
            return true;
        }
        if (!task.refusal().isEmpty()) {
            settle(stored, runner.policy().reject(stored.delivery(), task.refusal(), now), false, attemptRows);
            return true;
        }
        Endpoint endpoint = task.endpoint();
        if (!endpoint.enabled()) {
            settle(stored, runner.policy().cancel(stored.delivery(), "endpoint " + endpoint.id() + " is disabled ("
                    + endpoint.disabledReason() + "); enable it (ben endpoints enable " + endpoint.id()
                    + ") and send what it missed (ben recover --endpoint " + endpoint.id() + " --since <time>)", now),
                    false, attemptRows);
            return true;
        }
        return false;
    }

    /** Creates the delivery in its final state, nothing POSTed (kept replayable unless the payload is dropped). */
    private void settle(StoredDelivery stored, Transition t, boolean dropPayload, List<Attempt> attemptRows) {
        StoredDelivery settled = stored.with(t.delivery(), "");
        if (deliveries.createIfAbsent(dropPayload ? settled.withoutPayload() : settled).isEmpty()) {
            runner.afterWrite(stored, t, attemptRows);
        } else {
            telemetry.metric("duplicateDeliveries", 1);
        }
    }

    private void finish(StoredDelivery before, Transition t, String token, List<Attempt> rows) {
        if (t.result() instanceof DeliveryResult.Retry retry) {
            // throws → record reported; the redelivery finds it RETRYING, so the sweeper re-enqueues it
            queue.send(before.id(), token, retry.after());
        }
        runner.afterWrite(before, t, rows);
    }

    private void skipped(DynamodbStreamRecord record, String seq, String reason) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sequenceNumber", seq);
        f.put("eventID", record == null ? "" : String.valueOf(record.getEventID()));
        f.put("eventSourceARN", record == null ? "" : String.valueOf(record.getEventSourceARN()));
        f.put("reason", reason);
        telemetry.error("stream record skipped", f);
        telemetry.metric("skippedRecords", 1);
    }

    private static String sequenceNumber(DynamodbStreamRecord record) {
        return record == null || record.getDynamodb() == null || record.getDynamodb().getSequenceNumber() == null
                ? "" : record.getDynamodb().getSequenceNumber();
    }
}
