package dev.ben.local.runtime.internal;

import dev.ben.settings.Trigger.StreamTrigger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A DynamoDB stream event source mapping: finds the table's stream (DescribeTable → LatestStreamArn), starts
 * one {@link ShardProcessor} per shard (children only after their parent is done, keeping per-key order) and
 * keeps the checkpoint of each shard for inspection.
 */
public final class StreamEventSourceMapping implements EventSource {
    private static final Duration DISCOVERY_INTERVAL = Duration.ofSeconds(1);

    private final String tableName;
    private final StreamTrigger trigger;
    private final List<FilterPattern> filters;
    private final LambdaFunction function;
    private final DynamoDbClient dynamoDb;
    private final DynamoDbStreamsClient streams;
    private final StreamFailureDestination destination;
    private final Clock clock;
    private final Duration retryDelay;
    private final RuntimeLog log;
    private final Map<String, String> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, ShardProcessor> shards = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile String streamArn;
    private Thread discovery;

    public StreamEventSourceMapping(String tableName, StreamTrigger trigger, LambdaFunction function,
                                    DynamoDbClient dynamoDb, DynamoDbStreamsClient streams,
                                    StreamFailureDestination destination, Clock clock, Duration retryDelay, RuntimeLog log) {
        this.tableName = tableName;
        this.trigger = trigger;
        this.filters = trigger.filterPatterns().stream().map(FilterPattern::parse).toList();
        this.function = function;
        this.dynamoDb = dynamoDb;
        this.streams = streams;
        this.destination = destination;
        this.clock = clock;
        this.retryDelay = retryDelay;
        this.log = log;
        if (!"TRIM_HORIZON".equals(trigger.startingPosition()) && !"LATEST".equals(trigger.startingPosition())) {
            throw new IllegalArgumentException("stream trigger of " + function.name() + ": starting position must be "
                    + "TRIM_HORIZON or LATEST, got " + trigger.startingPosition());
        }
    }

    @Override
    public synchronized void start() {
        streamArn = dynamoDb.describeTable(b -> b.tableName(tableName)).table().latestStreamArn();
        if (streamArn == null) {
            throw new IllegalStateException("table " + tableName + " has no stream; the function " + function.name()
                    + " needs one (set TableSpec.streamView)");
        }
        // Shards that exist now start at the configured position; shards appearing later start at their beginning.
        ShardIteratorType initial = ShardIteratorType.fromValue(trigger.startingPosition());
        List<Shard> existing = describe().shards();
        startReadyShards(existing, initial);
        discovery = Thread.ofPlatform().daemon().name("ben-esm-" + function.name() + "-discovery").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(DISCOVERY_INTERVAL);
                    try {
                        startReadyShards(describe().shards(), ShardIteratorType.TRIM_HORIZON);
                    } catch (RuntimeException e) {
                        if (!Thread.currentThread().isInterrupted()) {
                            log.warn(function.name(), "DescribeStream failed, will retry: " + e.getMessage());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        log.info(function.name(), "polling " + streamArn + " (" + existing.size() + " shard(s), batch size "
                + trigger.batchSize() + ", filters " + trigger.filterPatterns() + ")");
    }

    public String streamArn() {
        return streamArn;
    }

    /** Last checkpointed sequence number of a shard (processed, filtered out or discarded), if any. */
    public Optional<String> checkpoint(String shardId) {
        return Optional.ofNullable(checkpoints.get(shardId));
    }

    public Map<String, String> checkpoints() {
        return Map.copyOf(checkpoints);
    }

    private StreamDescription describe() {
        StreamDescription description = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription();
        List<Shard> all = new ArrayList<>(description.shards());
        String last = description.lastEvaluatedShardId();
        while (last != null) {
            String from = last;
            StreamDescription page = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from))
                    .streamDescription();
            all.addAll(page.shards());
            last = page.lastEvaluatedShardId();
        }
        return description.toBuilder().shards(all).build();
    }

    private synchronized void startReadyShards(List<Shard> all, ShardIteratorType position) {
        List<String> known = all.stream().map(Shard::shardId).toList();
        for (Shard shard : all) {
            if (shards.containsKey(shard.shardId())) {
                continue;
            }
            String parent = shard.parentShardId();
            boolean parentDone = parent == null || !known.contains(parent)
                    || (shards.containsKey(parent) && shards.get(parent).finished());
            if (!parentDone) {
                continue;
            }
            ShardIteratorType start = parent != null && shards.containsKey(parent) ? ShardIteratorType.TRIM_HORIZON : position;
            ShardProcessor processor = new ShardProcessor(streams, streamArn, shard.shardId(), start, trigger, filters,
                    function, destination, clock, retryDelay, checkpoints::put, log);
            shards.put(shard.shardId(), processor);
            threads.add(Thread.ofPlatform().daemon().name("ben-esm-" + function.name() + "-" + shard.shardId())
                    .start(processor));
        }
    }

    @Override
    public void close() {
        List<Thread> all;
        synchronized (this) {
            all = new ArrayList<>(threads);
            if (discovery != null) {
                all.add(discovery);
            }
        }
        all.forEach(Thread::interrupt);
        Threads.join(all, log, function.name());
    }
}
