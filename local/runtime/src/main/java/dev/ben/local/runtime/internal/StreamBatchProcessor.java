package dev.ben.local.runtime.internal;

import dev.ben.local.runtime.InvocationResult;
import dev.ben.settings.Trigger.StreamTrigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Error handling of a stream event source mapping for one batch of one shard, as AWS documents it:
 * <ul>
 *   <li>success: checkpoint at the batch's last sequence number;</li>
 *   <li>ReportBatchItemFailures: checkpoint before the lowest reported sequence number and retry from there
 *       (a retry attempt); an empty/null/unknown identifier is a complete failure;</li>
 *   <li>function error with BisectBatchOnFunctionError: split the batch in two and process both halves in
 *       order; a split does not count as a retry (the halves keep the retry count of the batch);</li>
 *   <li>otherwise a retry attempt; after MaximumRetryAttempts retries (-1 = unlimited) the records are sent
 *       to the on-failure destination (metadata only) and checkpointed past;</li>
 *   <li>records older than MaximumRecordAge (-1 s = unlimited) when a batch is about to be invoked go to the
 *       on-failure destination as well and are skipped.</li>
 * </ul>
 * Records are never dropped silently: everything not checkpointed after success ends in the destination (or,
 * without one, in a WARN log line naming the sequence numbers).
 */
public final class StreamBatchProcessor {

    /** What the processor does with the outside world. */
    public interface Sink {
        InvocationResult invoke(List<Record> batch);

        void discard(List<Record> records, FailureCondition condition, InvocationResult lastResult, int invokeCount);

        void checkpoint(Record lastProcessed);
    }

    /** Why records were discarded (the {@code requestContext.condition} of the invocation record). */
    public enum FailureCondition {
        RetryAttemptsExhausted,
        RecordAgeExceeded
    }

    private record Pending(List<Record> records, int retries, int invokes, InvocationResult last) {
    }

    private final StreamTrigger trigger;
    private final Clock clock;
    private final Duration retryDelay;
    private final Sink sink;

    public StreamBatchProcessor(StreamTrigger trigger, Clock clock, Duration retryDelay, Sink sink) {
        this.trigger = trigger;
        this.clock = clock;
        this.retryDelay = retryDelay;
        this.sink = sink;
    }

    /** Processes the batch until every record is checkpointed (processed or discarded). */
    public void process(List<Record> batch) throws InterruptedException {
        Deque<Pending> work = new ArrayDeque<>();
        work.add(new Pending(List.copyOf(batch), 0, 0, null));
        while (!work.isEmpty()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stream processing stopped");
            }
            Pending pending = withoutExpired(work.pollFirst());
            if (pending.records().isEmpty()) {
                continue;
            }
            List<Record> records = pending.records();
            InvocationResult result = sink.invoke(records);
            int invokes = pending.invokes() + 1;
            BatchItemFailures failures = switch (result) {
                case InvocationResult.Success success -> trigger.reportBatchItemFailures()
                        ? BatchItemFailures.of(success.response(), sequenceNumbers(records))
                        : new BatchItemFailures.None();
                case InvocationResult.Failure failure -> new BatchItemFailures.Invalid(failure.errorType());
            };
            switch (failures) {
                case BatchItemFailures.None none -> sink.checkpoint(records.getLast());
                case BatchItemFailures.Items items -> {
                    int lowest = lowestIndex(records, items.identifiers());
                    if (lowest > 0) {
                        sink.checkpoint(records.get(lowest - 1));
                    }
                    retryOrDiscard(work, new Pending(records.subList(lowest, records.size()), pending.retries(),
                            invokes, result));
                }
                case BatchItemFailures.Invalid invalid -> {
                    if (trigger.bisectBatchOnFunctionError() && records.size() > 1) {
                        int half = records.size() / 2;
                        work.addFirst(new Pending(records.subList(half, records.size()), pending.retries(), invokes, result));
                        work.addFirst(new Pending(records.subList(0, half), pending.retries(), invokes, result));
                    } else {
                        retryOrDiscard(work, new Pending(records, pending.retries(), invokes, result));
                    }
                }
            }
        }
    }

    private void retryOrDiscard(Deque<Pending> work, Pending failed) throws InterruptedException {
        int retries = failed.retries() + 1;
        int maximum = trigger.maximumRetryAttempts();
        if (maximum >= 0 && retries > maximum) {
            sink.discard(failed.records(), FailureCondition.RetryAttemptsExhausted, failed.last(), failed.invokes());
            sink.checkpoint(failed.records().getLast());
            return;
        }
        if (!retryDelay.isZero()) {
            Thread.sleep(retryDelay);
        }
        work.addFirst(new Pending(failed.records(), retries, failed.invokes(), failed.last()));
    }

    private Pending withoutExpired(Pending pending) {
        Duration maximumAge = trigger.maximumRecordAge();
        if (maximumAge.isNegative() || maximumAge.isZero()) {
            return pending;
        }
        Instant oldestAllowed = clock.instant().minus(maximumAge);
        List<Record> records = pending.records();
        int expired = 0;
        while (expired < records.size() && createdBefore(records.get(expired), oldestAllowed)) {
            expired++;
        }
        if (expired == 0) {
            return pending;
        }
        List<Record> old = records.subList(0, expired);
        sink.discard(old, FailureCondition.RecordAgeExceeded, pending.last(), pending.invokes());
        sink.checkpoint(old.getLast());
        return new Pending(records.subList(expired, records.size()), pending.retries(), pending.invokes(), pending.last());
    }

    private static boolean createdBefore(Record record, Instant limit) {
        Instant created = record.dynamodb().approximateCreationDateTime();
        return created != null && created.isBefore(limit);
    }

    private static List<String> sequenceNumbers(List<Record> records) {
        return records.stream().map(r -> r.dynamodb().sequenceNumber()).toList();
    }

    private static int lowestIndex(List<Record> records, List<String> failedSequenceNumbers) {
        // Records of a shard are in sequence-number order, so the lowest failed one is the earliest in the batch.
        List<String> all = sequenceNumbers(records);
        return failedSequenceNumbers.stream().mapToInt(all::indexOf).min().orElseThrow();
    }
}
