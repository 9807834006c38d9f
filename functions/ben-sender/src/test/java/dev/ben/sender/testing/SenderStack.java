package dev.ben.sender.testing;

import dev.ben.core.model.Endpoint;
import dev.ben.core.retry.RetrySchedule;
import dev.ben.events.SampleEvents;
import dev.ben.local.runtime.AwsTarget;
import dev.ben.local.runtime.LocalLambdaRuntime;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.declaration.Declaration;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The sender on the local stack for a test: the settings provisioned under a unique prefix (isolated tables and
 * queues), the real handlers deployed on the local Lambda runtime (stream and SQS event source mappings, the
 * sweeper schedule), plus helpers to register endpoints, pay orders and read deliveries.
 */
public final class SenderStack implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    public final LocalAws aws;
    public final ProvisionedResources resources;
    public final LocalLambdaRuntime runtime;
    public final BenSettings settings;

    /** The orders demo's source (its table's logical name). */
    public static final String ORDERS = SampleEvents.DEMO_SOURCE;

    private final Map<String, String> tableNames;

    private SenderStack(LocalAws aws, ProvisionedResources resources, Map<String, String> tableNames,
                        LocalLambdaRuntime runtime, BenSettings settings) {
        this.settings = settings;
        this.tableNames = Map.copyOf(tableNames);
        this.aws = aws;
        this.resources = resources;
        this.runtime = runtime;
    }

    /**
     * Compressed defaults for tests: 1 s steps, no jitter, loopback allowed, sweeper every second, circuit breakers
     * off (a 30 s opening would outlast these schedules; the isolation tests switch them on with compressed times).
     */
    public static Map<String, String> testEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(EnvVars.ALLOW_PRIVATE_ADDRESSES, "true");
        env.put(EnvVars.RETRY_SCHEDULE, "1s,1s,1s");
        env.put("BEN_RETRY_JITTER", "0");
        env.put("BEN_RETRY_MAX_AGE", "5m");
        env.put("BEN_SWEEPER_GRACE", "3s");
        env.put("BEN_ENDPOINT_CACHE", "1s");
        env.put("BEN_HTTP_TIMEOUT", "2s");
        env.put(EnvVars.STATUS_API_TOKEN, "test-token");
        env.put("BEN_LOG_LEVEL", "WARN");
        env.put("BEN_CIRCUIT_FAILURES", "0");
        env.put("BEN_CIRCUIT_FAILURE_RATE", "0");
        env.put("BEN_CIRCUIT_TIMEOUTS", "0");
        return env;
    }

    public static SenderStack start(LocalAws aws, Map<String, String> environment,
                                    Consumer<LocalLambdaRuntime.Builder> customise, String... functions) {
        return start(aws, environment, (b, env) -> customise.accept(b), functions);
    }

    /**
     * The orders demo's declaration ({@code examples/orders/ben.json}) on the local stack, its orders table
     * provisioned with the test prefix.
     *
     * @param customise gets the builder and the functions' environment (provisioned names and endpoints plus
     *                  {@code environment}), e.g. to register handler instances built with interceptors
     */
    public static SenderStack start(LocalAws aws, Map<String, String> environment,
                                    java.util.function.BiConsumer<LocalLambdaRuntime.Builder, Map<String, String>> customise,
                                    String... functions) {
        return start(aws, BenSettings.of(demoDeclaration()), environment, customise, functions);
    }

    /** With other settings for the demo declaration (e.g. a benchmark changing the stream batching window). */
    public static SenderStack start(LocalAws aws, BenSettings settings, Map<String, String> environment,
                                    java.util.function.BiConsumer<LocalLambdaRuntime.Builder, Map<String, String>> customise,
                                    String... functions) {
        return start(aws, demoDeclaration(), settings, Map.of(), environment, customise, functions);
    }

    /**
     * Ben attached to tables that already exist (created by the test, as a user's tables are): Ben's own tables and
     * queues are provisioned with a test prefix, the sources are the given tables.
     *
     * @param existingTables source name → physical name of the existing table
     */
    public static SenderStack attach(LocalAws aws, Declaration declaration, Map<String, String> existingTables,
                                     Map<String, String> environment,
                                     java.util.function.BiConsumer<LocalLambdaRuntime.Builder, Map<String, String>> customise,
                                     String... functions) {
        return start(aws, declaration, BenSettings.of(declaration), existingTables, environment, customise,
                functions);
    }

    /** The orders demo's declaration (examples/orders/ben.json, packed into ben-events). */
    public static Declaration demoDeclaration() {
        return Declaration.parse(SampleEvents.demoDeclarationJson());
    }

    private static SenderStack start(LocalAws aws, Declaration declaration, BenSettings settings,
                                     Map<String, String> existingTables, Map<String, String> environment,
                                     java.util.function.BiConsumer<LocalLambdaRuntime.Builder, Map<String, String>> customise,
                                     String... functions) {
        String prefix = "s" + COUNTER.incrementAndGet() + UUID.randomUUID().toString().substring(0, 6) + "-";
        BenSettings toProvision = new BenSettings(settings.tables().stream()
                .filter(t -> !existingTables.containsKey(t.logicalName())).toList(), settings.queues(),
                settings.functions());
        ProvisionedResources resources = aws.provision(toProvision, prefix);
        Map<String, String> tableNames = new LinkedHashMap<>(resources.tableNames());
        tableNames.putAll(existingTables);
        AwsTarget target = new AwsTarget(aws.region(), aws.dynamoDbEndpoint(), aws.sqsEndpoint(), aws.dynamoDb(),
                aws.dynamoDbStreams(), aws.sqs(), tableNames, resources.queueUrls(), resources.environment());
        String[] deployed = functions.length == 0 ? new String[] {"notify", "retry", "sweeper", "status-api"}
                : functions;
        var builder = LocalLambdaRuntime.builder(settings, target).only(deployed);
        if (List.of(deployed).contains("sweeper")) {
            builder.schedule("ben-sweeper", Duration.ofSeconds(1));
        }
        builder.streamRetryDelay(Duration.ofMillis(200))
                .output(quietOutput());
        Map<String, String> env = new LinkedHashMap<>();
        env.put(EnvVars.DECLARATION, declaration.toJson());
        env.putAll(environment);
        env.forEach(builder::environment);
        Map<String, String> functionEnv = new HashMap<>(resources.environment());
        existingTables.forEach((source, table) -> declaration.source(source)
                .ifPresent(s -> functionEnv.put(s.tableEnvVar(), table)));
        functionEnv.putAll(env);
        customise.accept(builder, Map.copyOf(functionEnv));
        return new SenderStack(aws, resources, tableNames, builder.start(), settings);
    }

    private static PrintStream quietOutput() {
        return Boolean.getBoolean("ben.verbose") ? System.out : new PrintStream(java.io.OutputStream.nullOutputStream());
    }

    /** Physical name of a table of the stack (Ben's own, or a source). */
    public String table(String logical) {
        String name = tableNames.get(logical);
        if (name == null) {
            throw new java.util.NoSuchElementException("no table " + logical + "; known: " + tableNames.keySet());
        }
        return name;
    }

    public String queueUrl(String logical) {
        return resources.queueUrl(logical);
    }

    public Endpoint putEndpoint(String id, String url, List<String> secrets, RetrySchedule schedule) {
        Endpoint e = new Endpoint(id, url, Set.of("order.paid"), secrets, true, "", 0, schedule, null, "");
        return putEndpoint(e);
    }

    public Endpoint putEndpoint(Endpoint e) {
        aws.dynamoDb().putItem(b -> b.tableName(table(BenSettings.ENDPOINTS_TABLE))
                .item(DynamoDbEndpointStore.toItem(e)));
        return e;
    }

    /** Inserts a PENDING order (version 1), then marks it PAID (version 2): one MODIFY that becomes order.paid. */
    public void payOrder(String orderId) {
        createOrder(orderId);
        markPaid(orderId);
    }

    public void createOrder(String orderId) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("orderId", AttributeValue.fromS(orderId));
        item.put("status", AttributeValue.fromS("PENDING"));
        item.put("version", AttributeValue.fromN("1"));
        item.put("amount", AttributeValue.fromN("4999"));
        item.put("currency", AttributeValue.fromS("EUR"));
        item.put("updatedAt", AttributeValue.fromS(Instant.now().toString()));
        aws.dynamoDb().putItem(b -> b.tableName(table(ORDERS)).item(item));
    }

    public void markPaid(String orderId) {
        aws.dynamoDb().updateItem(b -> b.tableName(table(ORDERS))
                .key(Map.of("orderId", AttributeValue.fromS(orderId)))
                .updateExpression("SET #s = :p, version = version + :one, updatedAt = :u")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("PAID"), ":one", AttributeValue.fromN("1"),
                        ":u", AttributeValue.fromS(Instant.now().toString()))));
    }

    /** All delivery items (raw attribute maps), strongly consistent scan. */
    public List<Map<String, AttributeValue>> deliveries() {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var from = start;
            var page = aws.dynamoDb().scan(b -> {
                b.tableName(table(BenSettings.DELIVERIES_TABLE)).consistentRead(true);
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            all.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return all;
    }

    public List<Map<String, AttributeValue>> attempts(String deliveryId) {
        return aws.dynamoDb().query(b -> b.tableName(table(BenSettings.ATTEMPTS_TABLE))
                .keyConditionExpression("deliveryId = :d")
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(deliveryId))).consistentRead(true)).items();
    }

    /** Messages currently in a queue (approximate, visible + in flight + delayed). */
    public int queueDepth(String logicalQueue) {
        var attrs = aws.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl(logicalQueue))
                .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                        "ApproximateNumberOfMessagesDelayed")).attributesAsStrings();
        return attrs.values().stream().mapToInt(Integer::parseInt).sum();
    }

    public List<String> drainDeadLetters() {
        List<String> bodies = new ArrayList<>();
        while (true) {
            var msgs = aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl(BenSettings.RETRY_DLQ))
                    .maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (msgs.isEmpty()) {
                return bodies;
            }
            for (var m : msgs) {
                bodies.add(m.body());
                aws.sqs().deleteMessage(b -> b.queueUrl(queueUrl(BenSettings.RETRY_DLQ)).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** Polls until {@code condition} holds or the timeout passes (then returns false). */
    public static boolean await(Duration timeout, java.util.function.BooleanSupplier condition) {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    public static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s() != null ? v.s() : v.n();
    }

    @Override
    public void close() {
        runtime.close();
    }
}
