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
 * notify: stream records → events → one delivery per subscribed endpoint, attempted in parallel (virtual threads,
 * bounded). Returns the sequence numbers of records whose store or queue writes failed, so the stream redelivers
 * them; deterministic ids make the redelivery idempotent. Never sleeps.
 */
public final class NotifyService {

    /** Token of the retry message notify enqueues after a failed first attempt. */
    static final String FIRST_TOKEN = "n1";

    private final EventMapper mapper;
    private final EndpointStore endpoints;
    private final DeliveryStore deliveries;
    private final RetryQueue queue;
    private final DeliveryRunner runner;
    private final NotifyMode mode;
    private final int maxPayloadBytes;
    private final Semaphore permits;
    private final Telemetry telemetry;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public NotifyService(EventMapper mapper, EndpointStore endpoints, DeliveryStore deliveries, RetryQueue queue,
                         DeliveryRunner runner, NotifyMode mode, int concurrency, int maxPayloadBytes,
                         Telemetry telemetry) {
        this.mapper = mapper;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.queue = queue;
        this.runner = runner;
        this.mode = mode;
        this.maxPayloadBytes = maxPayloadBytes;
        this.permits = new Semaphore(concurrency);
        this.telemetry = telemetry;
    }

    private record Task(String sequenceNumber, Event event, Endpoint endpoint) {
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
                        for (Event event : e.events()) {
                            List<Endpoint> subscribed = endpoints.subscribedTo(event.type());
                            if (subscribed.isEmpty()) {
                                telemetry.info("no enabled endpoint subscribes to " + event.type(),
                                        Map.of("eventId", event.id(), "entityId", event.entityId()));
                                telemetry.metric("eventsWithoutSubscribers", 1);
                            }
                            subscribed.forEach(ep -> tasks.add(new Task(seq, event, ep)));
                            telemetry.metric("events", 1);
                        }
                    }
                }
            } catch (RuntimeException e) {
                // the store could not be read (e.g. throttled): let the stream redeliver this record
                failed.add(seq);
                telemetry.error("record failed, reported for redelivery", Map.of("sequenceNumber", seq,
                        "error", String.valueOf(e)));
            }
        }
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
                        "endpointId", task.endpoint().id(), "error", String.valueOf(cause)));
                telemetry.metric("recordsReported", 1);
            }
        }
        runner.flush(attemptRows); // one BatchWriteItem per 25 attempt rows instead of a PutItem each
        return List.copyOf(failed);
    }

    private Map<String, StoredDelivery> existingDeliveries(List<Task> tasks, Set<String> failed) {
        List<String> ids = tasks.stream().map(t -> Delivery.pending(t.event(), t.endpoint().id(), Instant.EPOCH).id())
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
        Delivery pending = Delivery.pending(event, endpoint.id(), now);
        StoredDelivery stored = new StoredDelivery(pending, event.type(), event.payload(), "");

        int size = event.payload().getBytes(StandardCharsets.UTF_8).length;
        if (size > maxPayloadBytes) {
            String reason = "payload is " + size + " bytes; at most " + maxPayloadBytes
                    + " bytes can be stored for retries (DynamoDB item limit 400 KB): shrink the projection";
            Transition rejected = runner.policy().reject(pending, reason, now);
            StoredDelivery failedDelivery = new StoredDelivery(rejected.delivery(), event.type(), null, "");
            if (deliveries.createIfAbsent(failedDelivery).isEmpty()) {
                runner.afterWrite(stored, rejected, attemptRows);
            }
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
