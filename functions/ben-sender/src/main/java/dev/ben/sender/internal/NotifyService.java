package dev.ben.sender.internal;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import dev.ben.core.delivery.DeliveryResult;
import dev.ben.core.delivery.Transition;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * notify: stream records → events → one delivery per receiving endpoint, attempted in parallel (virtual threads,
 * bounded). Returns the sequence numbers of records whose store or queue writes failed, so the stream redelivers
 * them; deterministic ids make the redelivery idempotent. Never sleeps.
 *
 * <p>Who receives an event: the enabled endpoints of its tenant subscribed to its type ({@link Endpoint#receives};
 * a tenant-less event only tenant-less endpoints). An event with a per-record URL goes to that URL only, through
 * {@link UrlEndpoints}: refused URLs (unknown tenant, host not allowed) become FAILED deliveries with the reason.
 * Each event with at least one delivery gets one small item in the events table (written in one batch per
 * invocation, before the deliveries), for the status API.
 */
public final class NotifyService {

    /** Token of the retry message notify enqueues after a failed first attempt. */
    static final String FIRST_TOKEN = "n1";

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
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public NotifyService(EventMapper mapper, EndpointStore endpoints, UrlEndpoints urlEndpoints, EventLog events,
                         DeliveryStore deliveries, RetryQueue queue, DeliveryRunner runner, NotifyMode mode,
                         int concurrency, int maxPayloadBytes, Telemetry telemetry) {
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
        Instant now = runner.clock().instant();
        Set<String> failed = new LinkedHashSet<>();
        List<Task> tasks = new ArrayList<>();
        for (DynamodbStreamRecord record : records == null ? List.<DynamodbStreamRecord>of() : records) {
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
                                telemetry.info("no enabled endpoint receives " + event.type() + tenantSuffix(event),
                                        Map.of("eventId", event.id(), "entityId", event.entityId()));
                                telemetry.metric("eventsWithoutSubscribers", 1);
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
        recordEvents(tasks, failed);
        Map<String, StoredDelivery> existing = mode == NotifyMode.FAST ? existingDeliveries(tasks, failed) : Map.of();
        List<Future<?>> futures = new ArrayList<>();
        List<Task> started = new ArrayList<>();
        List<dev.ben.core.model.Attempt> attemptRows = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Task task : tasks) {
            if (failed.contains(task.sequenceNumber())) {
                continue;
            }
            started.add(task);
            futures.add(executor.submit(() -> {
                permits.acquireUninterruptibly();
                try {
                    deliver(task, existing, attemptRows);
                } finally {
                    permits.release();
                }
                return null;
            }));
        }
        for (int i = 0; i < futures.size(); i++) {
            try {
                futures.get(i).get();
            } catch (Exception e) {
                Task task = started.get(i);
                Throwable cause = e.getCause() == null ? e : e.getCause();
                failed.add(task.sequenceNumber());
                telemetry.error("delivery write failed, record reported for redelivery", Map.of(
                        "sequenceNumber", task.sequenceNumber(), "eventId", task.event().id(),
                        "endpointId", task.endpointId(), "error", String.valueOf(cause)));
                telemetry.metric("recordsReported", 1);
            }
        }
        runner.flush(attemptRows); // one BatchWriteItem per 25 attempt rows instead of a PutItem each
        return List.copyOf(failed);
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

    /** One events-table item per event with deliveries, in one batch; a failure reports the records. */
    private void recordEvents(List<Task> tasks, Set<String> failed) {
        Map<String, List<String>> endpointIds = new LinkedHashMap<>();
        Map<String, Event> byId = new LinkedHashMap<>();
        Map<String, String> sequenceOf = new LinkedHashMap<>();
        for (Task t : tasks) {
            if (!failed.contains(t.sequenceNumber())) {
                endpointIds.computeIfAbsent(t.event().id(), k -> new ArrayList<>()).add(t.endpointId());
                byId.put(t.event().id(), t.event());
                sequenceOf.put(t.event().id(), t.sequenceNumber());
            }
        }
        if (byId.isEmpty()) {
            return;
        }
        try {
            events.recordAll(byId.values().stream().map(e -> EventRecord.of(e, endpointIds.get(e.id()))).toList());
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

    private void deliver(Task task, Map<String, StoredDelivery> existingInFastMode,
                         List<dev.ben.core.model.Attempt> attemptRows) {
        Instant now = runner.clock().instant();
        Event event = task.event();
        Endpoint endpoint = task.endpoint();
        Delivery pending = Delivery.pending(event, task.endpointId(), now);
        StoredDelivery stored = StoredDelivery.of(event, pending, task.url());

        int size = event.payload().getBytes(StandardCharsets.UTF_8).length;
        if (size > maxPayloadBytes) {
            reject(stored, "payload is " + size + " bytes; at most " + maxPayloadBytes
                    + " bytes can be stored for retries (DynamoDB item limit 400 KB): shrink the projection", true,
                    now, attemptRows);
            return;
        }
        if (!task.refusal().isEmpty()) {
            reject(stored, task.refusal(), false, now, attemptRows);
            return;
        }

        if (mode == NotifyMode.FAST) {
            if (existingInFastMode.containsKey(pending.id())) {
                telemetry.metric("duplicateDeliveries", 1);
                return;
            }
            Transition t = runner.attempt(stored, endpoint);
            String token = t.result() instanceof DeliveryResult.Retry ? FIRST_TOKEN : "";
            if (deliveries.createIfAbsent(stored.with(t.delivery(), token)).isPresent()) {
                telemetry.metric("duplicateDeliveries", 1);
                return;
            }
            finish(stored, t, token, attemptRows);
            return;
        }

        var found = deliveries.createIfAbsent(stored);
        if (found.isPresent()) {
            StoredDelivery before = found.get();
            boolean oursFromACrashedRun = before.delivery().status() == DeliveryStatus.PENDING
                    && before.delivery().attempts() == 0 && before.queueToken().isEmpty();
            if (!oursFromACrashedRun) {
                telemetry.metric("duplicateDeliveries", 1);
                return;
            }
            stored = before;
        }
        Transition t = runner.attempt(stored, endpoint);
        String token = t.result() instanceof DeliveryResult.Retry ? FIRST_TOKEN : "";
        if (!deliveries.transition(stored, t.delivery(), token)) {
            telemetry.metric("staleTransitions", 1); // the sweeper took it over meanwhile
            return;
        }
        finish(stored, t, token, attemptRows);
    }

    /** Creates the delivery FAILED with the reason, nothing POSTed (kept replayable unless the payload is dropped). */
    private void reject(StoredDelivery stored, String reason, boolean dropPayload, Instant now,
                        List<dev.ben.core.model.Attempt> attemptRows) {
        Transition rejected = runner.policy().reject(stored.delivery(), reason, now);
        StoredDelivery failedDelivery = stored.with(rejected.delivery(), "");
        if (deliveries.createIfAbsent(dropPayload ? failedDelivery.withoutPayload() : failedDelivery).isEmpty()) {
            runner.afterWrite(stored, rejected, attemptRows);
        }
    }

    private void finish(StoredDelivery before, Transition t, String token, List<dev.ben.core.model.Attempt> rows) {
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
