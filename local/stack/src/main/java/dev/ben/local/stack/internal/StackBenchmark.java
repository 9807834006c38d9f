package dev.ben.local.stack.internal;

import dev.ben.local.stack.LocalAws;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Benchmark of the local stack (see docs/local-stack.md for the command and the figures):
 * cold start in fresh JVMs, write latency through the Streams layer vs dynalite alone, records/s read back.
 */
public final class StackBenchmark {

    private static final int COLD_STARTS = 3;
    private static final int WARMUP = 500;
    private static final int SAMPLES = 3000;
    private static final int STREAM_RECORDS = 10_000;

    private StackBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--cold-start-child")) {
            coldStartChild();
            return;
        }
        System.out.println("== Ben local stack benchmark (" + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, load average "
                + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() + ")");
        if (!List.of(args).contains("--no-cold-start")) {
            coldStarts(List.of());
            coldStarts(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        }
        try (LocalAws aws = LocalAws.start()) {
            writeLatency(aws);
            readBack(aws);
        }
    }

    // ---- cold start -------------------------------------------------------------------------------------------

    private static void coldStartChild() {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long begin = System.nanoTime();
        LocalAws aws = LocalAws.start(); // returns once DynamoDB and SQS have each answered a request
        long startMs = (System.nanoTime() - begin) / 1_000_000;
        long sinceJvmStart = System.currentTimeMillis() - jvmStart;
        long cpuMs = ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() / 1_000_000 : -1;
        System.out.println("COLD " + startMs + " " + sinceJvmStart + " " + cpuMs);
        aws.close();
    }

    private static void coldStarts(List<String> jvmFlags) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<long[]> results = new ArrayList<>();
        for (int i = 0; i < COLD_STARTS; i++) {
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(jvmFlags);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), StackBenchmark.class.getName(),
                    "--cold-start-child"));
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("COLD ")) {
                        String[] parts = line.split(" ");
                        results.add(new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                            Long.parseLong(parts[3])});
                    }
                }
            }
            child.waitFor();
        }
        System.out.println("cold start, fresh JVM (" + COLD_STARTS + " runs), JVM flags: "
                + (jvmFlags.isEmpty() ? "(defaults)" : String.join(" ", jvmFlags)));
        for (long[] run : results) {
            System.out.printf("  LocalAws.start(): %5d ms   JVM launch to ready: %5d ms   JVM CPU time used: %5d ms%n",
                    run[0], run[1], run[2]);
        }
    }

    // ---- write latency ----------------------------------------------------------------------------------------

    private static void writeLatency(LocalAws aws) {
        URI dynalite = aws.dynaliteEndpoint().orElseThrow();
        DynamoDbClient direct = DynamoDbClient.builder().region(Region.of(aws.region()))
                .credentialsProvider(aws.credentialsProvider()).endpointOverride(dynalite)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        DynamoDbClient layer = aws.dynamoDb();
        createTable(layer, "bench-streamed", StreamViewType.NEW_AND_OLD_IMAGES);
        createTable(layer, "bench-plain", null);
        createTable(layer, "bench-direct", null); // written around the layer: must not be a stream table

        System.out.printf("write latency, single writer, %d samples per operation after %d warm-up, the five "
                + "operations interleaved so load changes hit them alike (µs):%n", SAMPLES, WARMUP);
        System.out.println("  operation                                         p50      p99     mean");
        List<Stats> stats = measureInterleaved(List.of(
                i -> put(direct, "bench-direct", i),
                i -> put(layer, "bench-plain", i),
                i -> put(layer, "bench-streamed", i),
                i -> update(direct, "bench-direct", i),
                i -> update(layer, "bench-streamed", i)));
        print("PutItem    dynalite directly", stats.get(0), null);
        print("PutItem    layer, table without stream", stats.get(1), stats.get(0));
        print("PutItem    layer, stream NEW_AND_OLD_IMAGES", stats.get(2), stats.get(0));
        print("UpdateItem dynalite directly", stats.get(3), null);
        print("UpdateItem layer, stream NEW_AND_OLD_IMAGES", stats.get(4), stats.get(3));
        direct.close();
    }

    private static void createTable(DynamoDbClient client, String name, StreamViewType view) {
        client.createTable(r -> {
            r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"));
            if (view != null) {
                r.streamSpecification(s -> s.streamEnabled(true).streamViewType(view));
            }
        });
        client.waiter().waitUntilTableExists(r -> r.tableName(name));
    }

    private static void put(DynamoDbClient client, String table, int i) {
        client.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k" + (i % 100)),
                "n", AttributeValue.fromN(Integer.toString(i)), "payload", AttributeValue.fromS("x".repeat(200)))));
    }

    private static void update(DynamoDbClient client, String table, int i) {
        client.updateItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("k" + (i % 100))))
                .updateExpression("SET n = :n").expressionAttributeValues(Map.of(":n",
                        AttributeValue.fromN(Integer.toString(i)))));
    }

    private record Stats(long p50, long p99, long mean) {
    }

    private static List<Stats> measureInterleaved(List<IntConsumer> operations) {
        for (int i = 0; i < WARMUP; i++) {
            for (IntConsumer operation : operations) {
                operation.accept(i);
            }
        }
        long[][] micros = new long[operations.size()][SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            for (int op = 0; op < operations.size(); op++) {
                long begin = System.nanoTime();
                operations.get(op).accept(WARMUP + i);
                micros[op][i] = (System.nanoTime() - begin) / 1000;
            }
        }
        List<Stats> stats = new ArrayList<>();
        for (long[] samples : micros) {
            Arrays.sort(samples);
            stats.add(new Stats(samples[SAMPLES / 2], samples[SAMPLES * 99 / 100],
                    Arrays.stream(samples).sum() / SAMPLES));
        }
        return stats;
    }

    private static void print(String label, Stats stats, Stats baseline) {
        String overhead = baseline == null ? "" : "   p50 %+.0f %%, mean %+.0f %% vs dynalite".formatted(
                100.0 * (stats.p50 - baseline.p50) / baseline.p50, 100.0 * (stats.mean - baseline.mean) / baseline.mean);
        System.out.printf("  %-46s %7d  %7d  %7d%s%n", label, stats.p50, stats.p99, stats.mean, overhead);
    }

    // ---- reading records back ---------------------------------------------------------------------------------------

    private static void readBack(LocalAws aws) {
        DynamoDbClient dynamoDb = aws.dynamoDb();
        createTable(dynamoDb, "bench-readback", StreamViewType.NEW_AND_OLD_IMAGES);
        for (int batch = 0; batch < STREAM_RECORDS / 25; batch++) {
            List<WriteRequest> writes = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                int n = batch * 25 + i;
                writes.add(WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", AttributeValue.fromS("r" + n),
                        "payload", AttributeValue.fromS("y".repeat(200))))).build());
            }
            dynamoDb.batchWriteItem(r -> r.requestItems(Map.of("bench-readback", writes)));
        }
        String arn = dynamoDb.describeTable(r -> r.tableName("bench-readback")).table().latestStreamArn();
        String shard = aws.dynamoDbStreams().describeStream(r -> r.streamArn(arn)).streamDescription().shards()
                .getFirst().shardId();
        for (int round = 0; round < 2; round++) {
            long begin = System.nanoTime();
            int read = 0;
            String iterator = aws.dynamoDbStreams().getShardIterator(r -> r.streamArn(arn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (read < STREAM_RECORDS) {
                String current = iterator;
                GetRecordsResponse response = aws.dynamoDbStreams().getRecords(r -> r.shardIterator(current)
                        .limit(1000));
                read += response.records().size();
                iterator = response.nextShardIterator();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            if (round == 1) {
                System.out.printf("read back %d records (GetRecords, Limit 1000, ~0.5 KB each): %d ms = %.0f records/s%n",
                        read, took.toMillis(), read / (took.toNanos() / 1e9));
            }
        }
    }
}
