package dev.ben.local.runtime.internal;

import dev.ben.local.runtime.InvocationResult;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.ben.local.runtime.internal.StreamBatchProcessor.FailureCondition;
import dev.ben.settings.Trigger.StreamTrigger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads one shard in order, one batch in flight (parallelization factor 1): GetShardIterator at the starting position, GetRecords
 * (polling four times a second while idle, as Lambda does), drops records the filter criteria reject
 * (checkpointed like processed ones), gathers up to the batch size within the maximum batching window and
 * hands the batch to the {@link StreamBatchProcessor}. With a parallelization factor above 1 the records go to
 * {@link ShardLanes} instead (by key, one batch in flight per lane). Ends when the shard is closed and fully processed.
 */
final class ShardProcessor implements Runnable {
    private static final Duration IDLE_POLL = Duration.ofMillis(250);
    private static final Duration DRAIN_POLL = Duration.ofMillis(20);

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final String shardId;
    private final ShardIteratorType startingPosition;
    private final StreamTrigger trigger;
    private final List<FilterPattern> filters;
    private final LambdaFunction function;
    private final StreamFailureDestination destination;
    private final Clock clock;
    private final Duration retryDelay;
    private final BiConsumer<String, String> checkpoints;
    private final RuntimeLog log;
    private volatile boolean finished;
    private String lastFetched;

    ShardProcessor(DynamoDbStreamsClient streams, String streamArn, String shardId, ShardIteratorType startingPosition,
                   StreamTrigger trigger, List<FilterPattern> filters, LambdaFunction function,
                   StreamFailureDestination destination, Clock clock, Duration retryDelay,
                   BiConsumer<String, String> checkpoints, RuntimeLog log) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.shardId = shardId;
        this.startingPosition = startingPosition;
        this.trigger = trigger;
        this.filters = filters;
        this.function = function;
        this.destination = destination;
        this.clock = clock;
        this.retryDelay = retryDelay;
        this.checkpoints = checkpoints;
        this.log = log;
    }

    boolean finished() {
        return finished;
    }

    @Override
    public void run() {
        try {
            if (trigger.parallelizationFactor() > 1) {
                runInLanes();
            } else {
                runInOrder();
            }
            finished = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                log.error(function.name(), null, "shard " + shardId + " of " + streamArn + " stopped: " + e.getMessage()
                        + "; unprocessed records stay in the stream", e);
            }
        }
    }

    /** Parallelization factor 1: one batch of the shard in flight, checkpointed batch by batch. */
    private void runInOrder() throws InterruptedException {
        StreamBatchProcessor processor = new StreamBatchProcessor(trigger, clock, retryDelay, new Sink(true));
        List<Record> buffer = new ArrayList<>();
        String iterator = iterator(startingPosition, null);
        boolean closed = false;
        while (!Thread.currentThread().isInterrupted()) {
            long windowStart = 0;
            while (buffer.size() < trigger.batchSize() && !closed) {
                Fetch fetched = fetch(iterator);
                if (fetched.response() == null) {
                    iterator = fetched.iterator();
                    continue;
                }
                GetRecordsResponse response = fetched.response();
                accept(response.records(), buffer);
                iterator = response.nextShardIterator();
                closed = iterator == null;
                if (buffer.isEmpty()) {
                    if (!closed) {
                        Thread.sleep(IDLE_POLL);
                    }
                    continue;
                }
                if (windowStart == 0) {
                    windowStart = System.nanoTime();
                }
                long waited = System.nanoTime() - windowStart;
                long window = trigger.maxBatchingWindow().toNanos();
                if (buffer.size() >= trigger.batchSize() || waited >= window) {
                    break;
                }
                if (response.records().isEmpty()) {
                    Thread.sleep(Duration.ofNanos(Math.min(IDLE_POLL.toNanos(), window - waited)));
                }
            }
            if (buffer.isEmpty() && closed) {
                break;
            }
            List<Record> batch = List.copyOf(buffer.subList(0, Math.min(trigger.batchSize(), buffer.size())));
            processor.process(batch);
            buffer.subList(0, batch.size()).clear();
            if (buffer.isEmpty() && lastFetched != null) {
                checkpoints.accept(shardId, lastFetched);
            }
        }
    }

    /**
     * Parallelization factor above 1: records go to {@link ShardLanes} by key; the shard is checkpointed only when
     * every lane has processed what it was given, and a closed shard ends only then (its children wait for it).
     */
    private void runInLanes() throws InterruptedException {
        try (ShardLanes lanes = new ShardLanes(trigger, clock, retryDelay, new Sink(false),
                Thread.currentThread().getName(), log, function.name())) {
            String iterator = iterator(startingPosition, null);
            while (iterator != null && !Thread.currentThread().isInterrupted()) {
                Fetch fetched = fetch(iterator);
                if (fetched.response() == null) {
                    iterator = fetched.iterator();
                    continue;
                }
                for (Record record : fetched.response().records()) {
                    lastFetched = record.dynamodb().sequenceNumber();
                    if (FilterPattern.anyMatches(filters, StreamRecords.toJson(record, streamArn))) {
                        lanes.add(record);
                    }
                }
                iterator = fetched.response().nextShardIterator();
                if (lanes.drained() && lastFetched != null) {
                    checkpoints.accept(shardId, lastFetched);
                }
                if (fetched.response().records().isEmpty() && iterator != null) {
                    Thread.sleep(IDLE_POLL);
                }
            }
            lanes.awaitDrained(DRAIN_POLL);
            if (lastFetched != null) {
                checkpoints.accept(shardId, lastFetched);
            }
        }
    }

    /** What one GetRecords gave: the response, or (after a recoverable failure) the iterator to go on with. */
    private record Fetch(GetRecordsResponse response, String iterator) {
    }

    private Fetch fetch(String iterator) throws InterruptedException {
        try {
            return new Fetch(streams.getRecords(b -> b.shardIterator(iterator).limit(1000)), null);
        } catch (ExpiredIteratorException expired) {
            return new Fetch(null, resume());
        } catch (TrimmedDataAccessException trimmed) {
            log.warn(function.name(), "records of shard " + shardId + " after " + lastFetched
                    + " were trimmed (retention) before they were read; continuing at TRIM_HORIZON");
            return new Fetch(null, iterator(ShardIteratorType.TRIM_HORIZON, null));
        } catch (SdkException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped");
            }
            log.warn(function.name(), "GetRecords on shard " + shardId + " failed, will retry: " + e.getMessage());
            Thread.sleep(1000);
            return new Fetch(null, resume());
        }
    }

    private void accept(List<Record> records, List<Record> buffer) {
        for (Record record : records) {
            lastFetched = record.dynamodb().sequenceNumber();
            if (FilterPattern.anyMatches(filters, StreamRecords.toJson(record, streamArn))) {
                buffer.add(record);
            } else if (buffer.isEmpty()) {
                checkpoints.accept(shardId, lastFetched);
            }
        }
    }

    /** A fresh iterator just after the last fetched record (or at the starting position). */
    private String resume() throws InterruptedException {
        return lastFetched == null ? iterator(startingPosition, null)
                : iterator(ShardIteratorType.AFTER_SEQUENCE_NUMBER, lastFetched);
    }

    /** GetShardIterator, retried while the service is unreachable (nothing is skipped meanwhile). */
    private String iterator(ShardIteratorType type, String sequenceNumber) throws InterruptedException {
        while (true) {
            try {
                return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId).shardIteratorType(type)
                        .sequenceNumber(sequenceNumber)).shardIterator();
            } catch (SdkException e) {
                if (Thread.currentThread().isInterrupted() || e instanceof software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException) {
                    throw e;
                }
                log.warn(function.name(), "GetShardIterator on shard " + shardId + " failed, will retry: " + e.getMessage());
                Thread.sleep(1000);
            }
        }
    }

    private final class Sink implements StreamBatchProcessor.Sink {
        /** False in lanes: a lane's progress is not the shard's (the reader checkpoints once every lane is done). */
        private final boolean checkpointsBatches;

        Sink(boolean checkpointsBatches) {
            this.checkpointsBatches = checkpointsBatches;
        }

        @Override
        public InvocationResult invoke(List<Record> batch) {
            DynamodbEvent event = new DynamodbEvent();
            event.setRecords(batch.stream().map(r -> StreamRecords.toEvent(r, streamArn)).toList());
            return function.invoke(event);
        }

        @Override
        public void discard(List<Record> records, FailureCondition condition, InvocationResult lastResult, int invokeCount) {
            String range = records.getFirst().dynamodb().sequenceNumber() + ".." + records.getLast().dynamodb().sequenceNumber();
            if (destination == null) {
                log.warn(function.name(), "discarded " + records.size() + " records " + range + " of shard " + shardId
                        + " (" + condition + "); no on-failure destination configured");
                return;
            }
            while (true) {
                try {
                    destination.send(streamArn, shardId, records, condition, lastResult, invokeCount);
                    log.warn(function.name(), "sent " + records.size() + " records " + range + " of shard " + shardId
                            + " to the on-failure destination (" + condition + ")");
                    return;
                } catch (RuntimeException e) {
                    log.error(function.name(), lastResult == null ? null : lastResult.requestId(),
                            "on-failure destination unavailable, retrying", e);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("stopped before the on-failure record was sent", interrupted);
                    }
                }
            }
        }

        @Override
        public void checkpoint(Record lastProcessed) {
            if (!checkpointsBatches) {
                return;
            }
            checkpoints.accept(shardId, lastProcessed.dynamodb().sequenceNumber());
        }
    }
}
