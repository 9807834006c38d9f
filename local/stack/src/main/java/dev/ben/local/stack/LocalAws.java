package dev.ben.local.stack;


import dev.ben.local.stack.internal.DynaliteProcess;
import dev.ben.local.stack.internal.ElasticMq;
import dev.ben.local.stack.internal.NodeModules;
import dev.ben.local.stack.internal.StreamsLayer;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.QueueSpec;
import dev.ben.settings.TableSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The AWS services Ben needs, on this machine, without Docker or an AWS account: DynamoDB (dynalite, a Node.js
 * child process) behind Ben's DynamoDB Streams layer, and SQS (ElasticMQ, embedded). 
 *
 * <pre>{@code
 * try (LocalAws aws = LocalAws.start()) {
 *     ProvisionedResources resources = aws.provision(BenSettings.of(Declaration.read(Path.of("ben.json"))));
 *     aws.dynamoDb().putItem(...);
 * }
 * }</pre>
 *
 * <p>Clients use static credentials {@code local}/{@code local} and region {@code us-east-1}. DynamoDB and
 * DynamoDB Streams share one endpoint ({@link #dynamoDbEndpoint()}); SQS has its own ({@link #sqsEndpoint()}).
 * Functions get both through {@link #clientEnvironment()}. {@link #startLocalStack()} offers the same API backed
 * by a LocalStack container.
 */
public final class LocalAws implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String ACCESS_KEY_ID = "local";
    public static final String SECRET_ACCESS_KEY = "local";

    private final URI dynamoDbEndpoint;
    private final URI sqsEndpoint;
    private final URI dynaliteEndpoint;
    private final String description;
    private final List<AutoCloseable> resources;
    private final DynaliteProcess dynalite;
    private final DynamoDbClient dynamoDb;
    private final DynamoDbStreamsClient dynamoDbStreams;
    private final SqsClient sqs;
    private volatile boolean closed;

    /** A stack whose endpoints are LocalStack's: clients with {@link Timeouts#LOCALSTACK}. */
    static LocalAws ofLocalStack(URI endpoint, String description, List<AutoCloseable> resources) {
        return new LocalAws(endpoint, endpoint, null, null, description, resources,
                dynamoDbClient(endpoint, Timeouts.LOCALSTACK), dynamoDbStreamsClient(endpoint, Timeouts.LOCALSTACK),
                sqsClient(endpoint, Timeouts.LOCALSTACK));
    }

    private LocalAws(URI dynamoDbEndpoint, URI sqsEndpoint, URI dynaliteEndpoint, DynaliteProcess dynalite,
                     String description, List<AutoCloseable> resources, DynamoDbClient dynamoDb,
                     DynamoDbStreamsClient dynamoDbStreams, SqsClient sqs) {
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.sqsEndpoint = sqsEndpoint;
        this.dynaliteEndpoint = dynaliteEndpoint;
        this.dynalite = dynalite;
        this.description = description;
        this.resources = List.copyOf(resources);
        this.dynamoDb = dynamoDb;
        this.dynamoDbStreams = dynamoDbStreams;
        this.sqs = sqs;
    }

    /**
     * Client timeouts. LocalStack starts its emulators on first use (DynamoDB Local, the Kinesis emulator behind
     * DynamoDB streams, fetched the first time), so its first calls may take minutes where the local stack answers
     * in milliseconds.
     */
    record Timeouts(Duration socket, Duration attempt, Duration call) {
        static final Timeouts LOCAL = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(60));
        static final Timeouts LOCALSTACK = new Timeouts(TableCreation.CREATE_TIMEOUT, TableCreation.CREATE_TIMEOUT,
                TableCreation.CREATE_TIMEOUT.multipliedBy(2));

        ClientOverrideConfiguration override() {
            return ClientOverrideConfiguration.builder().apiCallTimeout(call).apiCallAttemptTimeout(attempt).build();
        }

        UrlConnectionHttpClient.Builder http() {
            return UrlConnectionHttpClient.builder().socketTimeout(socket);
        }
    }

    private static DynamoDbClient dynamoDbClient(URI endpoint, Timeouts timeouts) {
        return DynamoDbClient.builder().region(Region.of(REGION)).credentialsProvider(staticCredentials())
                .endpointOverride(endpoint).httpClientBuilder(timeouts.http())
                .overrideConfiguration(timeouts.override()).build();
    }

    private static DynamoDbStreamsClient dynamoDbStreamsClient(URI endpoint, Timeouts timeouts) {
        return DynamoDbStreamsClient.builder().region(Region.of(REGION)).credentialsProvider(staticCredentials())
                .endpointOverride(endpoint).httpClientBuilder(timeouts.http())
                .overrideConfiguration(timeouts.override()).build();
    }

    private static SqsClient sqsClient(URI endpoint, Timeouts timeouts) {
        return SqsClient.builder().region(Region.of(REGION)).credentialsProvider(staticCredentials())
                .endpointOverride(endpoint).httpClientBuilder(timeouts.http())
                .overrideConfiguration(timeouts.override()).build();
    }

    private static AwsCredentialsProvider staticCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    }

    /** Starts dynalite, the DynamoDB Streams layer and ElasticMQ (in parallel) on free loopback ports. */
    public static LocalAws start() {
        return builder().start();
    }

    /**
     * Starts LocalStack through Testcontainers instead (image {@code localstack/localstack:4.14.0}, overridable by
     * the system property or environment variable {@code BEN_LOCALSTACK_IMAGE}; {@code LOCALSTACK_AUTH_TOKEN} is
     * passed to the container when set). Throws {@link IllegalStateException} when Docker is not available.
     */
    public static LocalAws startLocalStack() {
        return LocalStackTarget.start();
    }

    /**
     * The LocalStack image every LocalStack test uses: {@code BEN_LOCALSTACK_IMAGE} (system property or environment)
     * or the pinned default, compatible with Testcontainers' {@code LocalStackContainer}.
     */
    public static DockerImageName localStackImage() {
        return DockerImageName.parse(LocalStackTarget.image()).asCompatibleSubstituteFor("localstack/localstack");
    }

    /**
     * A LocalStack container (not started) of {@link #localStackImage()} for the given services, with
     * {@code LOCALSTACK_AUTH_TOKEN} passed when it is set; it mounts the Docker socket itself (LocalStack's Lambda
     * needs it). For suites that need more than DynamoDB and SQS, e.g. Lambda.
     */
    public static LocalStackContainer localStackContainer(String... services) {
        return LocalStackTarget.container(services);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link LocalAws#start()}. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration startTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The clock of the Streams layer (record times, 24 h retention, 15 min iterator expiry); for tests. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /**
         * Starts the three parts in parallel: dynalite (a Node.js process) on one thread, ElasticMQ plus the SQS
         * client and its first call on another, the Streams layer plus the DynamoDB clients and their first call
         * on this one. When this returns, both endpoints have answered a request.
         */
        public LocalAws start() {
            Path dynaliteDir = NodeModules.dynaliteDirectory();
            CompletableFuture<DynaliteProcess> dynalite = CompletableFuture.supplyAsync(
                    () -> DynaliteProcess.start(dynaliteDir, startTimeout), Thread::startVirtualThread);
            CompletableFuture<ElasticMq> elasticMq = CompletableFuture.supplyAsync(
                    () -> ElasticMq.start(REGION, ACCOUNT_ID), runnable -> Thread.ofPlatform()
                            .name("ben-elasticmq-start").start(runnable));
            CompletableFuture<SqsClient> sqs = elasticMq.thenApplyAsync(mq -> {
                SqsClient client = sqsClient(mq.endpoint(), Timeouts.LOCAL);
                client.listQueues(); // warms the SQS path while DynamoDB starts
                return client;
            }, runnable -> Thread.ofPlatform().name("ben-sqs-warmup").start(runnable));
            StreamsLayer layer = StreamsLayer.start(dynalite.thenApply(DynaliteProcess::endpoint), clock, REGION);
            DynamoDbClient dynamoDb = null;
            DynamoDbStreamsClient dynamoDbStreams = null;
            try {
                dynamoDb = dynamoDbClient(layer.endpoint(), Timeouts.LOCAL);
                dynamoDbStreams = dynamoDbStreamsClient(layer.endpoint(), Timeouts.LOCAL);
                dynamoDb.listTables(); // waits for dynalite and warms the DynamoDB path
                DynaliteProcess process = dynalite.join();
                ElasticMq mq = elasticMq.join();
                return new LocalAws(layer.endpoint(), mq.endpoint(), process.endpoint(), process,
                        "local stack (dynalite " + process.endpoint() + " behind the Streams layer "
                                + layer.endpoint() + ", ElasticMQ " + mq.endpoint() + ")",
                        List.of(layer, mq, process), dynamoDb, dynamoDbStreams, sqs.join());
            } catch (RuntimeException e) {
                if (dynamoDb != null) {
                    dynamoDb.close();
                }
                if (dynamoDbStreams != null) {
                    dynamoDbStreams.close();
                }
                layer.close();
                sqs.thenAccept(SqsClient::close);
                elasticMq.thenAccept(ElasticMq::close);
                dynalite.thenAccept(DynaliteProcess::close);
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (dynalite.isCompletedExceptionally()) {
                    cause = dynalite.handle((ok, failure) -> failure).join();
                    cause = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
                }
                throw cause instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("local stack failed to start", cause);
            }
        }
    }

    // ---- endpoints and clients ------------------------------------------------------------------------------------

    /** DynamoDB and DynamoDB Streams endpoint (the Streams layer, or LocalStack). */
    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    /** dynalite itself, bypassing the Streams layer (no stream records!); empty on LocalStack. For benchmarks. */
    public Optional<URI> dynaliteEndpoint() {
        return Optional.ofNullable(dynaliteEndpoint);
    }

    /** The process id of dynalite; empty on LocalStack. */
    public Optional<Long> dynalitePid() {
        return dynalite == null ? Optional.empty() : Optional.of(dynalite.pid());
    }

    public boolean isLocalStack() {
        return dynalite == null;
    }

    public String region() {
        return REGION;
    }

    public AwsCredentialsProvider credentialsProvider() {
        return staticCredentials();
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public DynamoDbStreamsClient dynamoDbStreams() {
        return dynamoDbStreams;
    }

    public SqsClient sqs() {
        return sqs;
    }

    /**
     * Region, credentials and endpoints as environment variables: {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID},
     * {@code AWS_SECRET_ACCESS_KEY}, {@code BEN_DYNAMODB_ENDPOINT}, {@code BEN_SQS_ENDPOINT} and the
     * service-specific variables the AWS SDK v2 reads by itself ({@code AWS_ENDPOINT_URL_DYNAMODB},
     * {@code AWS_ENDPOINT_URL_DYNAMODB_STREAMS}, {@code AWS_ENDPOINT_URL_SQS}).
     */
    public Map<String, String> clientEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        env.put(EnvVars.DYNAMODB_ENDPOINT, dynamoDbEndpoint.toString());
        env.put(EnvVars.SQS_ENDPOINT, sqsEndpoint.toString());
        env.put(EnvVars.AWS_ENDPOINT_URL_DYNAMODB, dynamoDbEndpoint.toString());
        env.put(EnvVars.AWS_ENDPOINT_URL_DYNAMODB_STREAMS, dynamoDbEndpoint.toString());
        env.put(EnvVars.AWS_ENDPOINT_URL_SQS, sqsEndpoint.toString());
        return env;
    }

    // ---- provisioning -----------------------------------------------------------------------------------------------

    /** Creates every table and queue of the settings under their logical names (idempotent). */
    public ProvisionedResources provision(BenSettings settings) {
        return provision(settings, "");
    }

    /**
     * Creates every table (keys, GSIs with projection ALL, TTL, stream) and queue (visibility, retention, redrive)
     * of the settings, named {@code namePrefix + logicalName}. Existing tables and queues are reused, so several
     * tests may provision the same settings on the shared stack; a distinct prefix isolates a test.
     */
    public ProvisionedResources provision(BenSettings settings, String namePrefix) {
        Map<String, String> tableNames = new LinkedHashMap<>();
        Map<String, String> tableArns = new LinkedHashMap<>();
        Map<String, String> streamArns = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (TableSpec table : settings.tables()) {
            String name = namePrefix + table.logicalName();
            TableDescription description = ensureTable(table, name);
            tableNames.put(table.logicalName(), name);
            tableArns.put(table.logicalName(), description.tableArn());
            if (description.latestStreamArn() != null && table.streamViewType().isPresent()) {
                streamArns.put(table.logicalName(), description.latestStreamArn());
            }
            environment.put(table.envVar(), name);
        }
        Map<String, String> queueUrls = new LinkedHashMap<>();
        Map<String, String> queueArns = new LinkedHashMap<>();
        List<QueueSpec> ordered = new ArrayList<>(settings.queues().stream()
                .filter(q -> q.redriveTarget().isEmpty()).toList());
        ordered.addAll(settings.queues().stream().filter(q -> q.redriveTarget().isPresent()).toList());
        for (QueueSpec queue : ordered) {
            String name = namePrefix + queue.logicalName();
            Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
            attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(queue.visibilityTimeout().toSeconds()));
            attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Long.toString(queue.retention().toSeconds()));
            queue.redriveTarget().ifPresent(dlq -> {
                String dlqArn = queueArns.get(dlq);
                if (dlqArn == null) {
                    throw new IllegalArgumentException("queue " + queue.logicalName() + " redrives to " + dlq
                            + ", which is not a queue of these settings");
                }
                attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn
                        + "\",\"maxReceiveCount\":\"" + queue.maxReceiveCount() + "\"}");
            });
            String url = sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
            String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            queueUrls.put(queue.logicalName(), url);
            queueArns.put(queue.logicalName(), arn);
        }
        for (QueueSpec queue : settings.queues()) {
            environment.put(queue.envVar(), queueUrls.get(queue.logicalName()));
        }
        environment.putAll(clientEnvironment());
        return new ProvisionedResources(tableNames, tableArns, streamArns, queueUrls, queueArns, environment);
    }

    private TableDescription ensureTable(TableSpec table, String name) {
        TableDescription description = describe(name) == null
                ? TableCreation.create(dynamoDb, createTableRequest(table, name))
                : TableCreation.awaitActive(dynamoDb, name, null);
        table.ttl().ifPresent(attribute -> {
            TimeToLiveStatus status = dynamoDb.describeTimeToLive(r -> r.tableName(name))
                    .timeToLiveDescription().timeToLiveStatus();
            if (status != TimeToLiveStatus.ENABLED && status != TimeToLiveStatus.ENABLING) {
                dynamoDb.updateTimeToLive(r -> r.tableName(name)
                        .timeToLiveSpecification(s -> s.attributeName(attribute).enabled(true)));
            }
        });
        return description;
    }

    private static CreateTableRequest createTableRequest(TableSpec table, String name) {
        Set<String> keyAttributes = new LinkedHashSet<>();
        keyAttributes.add(table.partitionKey());
        table.sortKeyName().ifPresent(keyAttributes::add);
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (TableSpec.IndexSpec index : table.indexes()) {
            keyAttributes.add(index.partitionKey());
            index.sortKeyName().ifPresent(keyAttributes::add);
            indexes.add(GlobalSecondaryIndex.builder().indexName(index.name())
                    .keySchema(keySchema(index.partitionKey(), index.sortKeyName()))
                    .projection(Projection.builder().projectionType(index.projection().name()).build()).build());
        }
        List<AttributeDefinition> definitions = keyAttributes.stream()
                .map(a -> AttributeDefinition.builder().attributeName(a).attributeType(table.attributeType(a))
                        .build()).toList();
        CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST).attributeDefinitions(definitions)
                .keySchema(keySchema(table.partitionKey(), table.sortKeyName()));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        table.streamViewType().ifPresent(view -> request.streamSpecification(
                StreamSpecification.builder().streamEnabled(true).streamViewType(view).build()));
        return request.build();
    }

    private static List<KeySchemaElement> keySchema(String partitionKey, Optional<String> sortKey) {
        List<KeySchemaElement> schema = new ArrayList<>();
        schema.add(KeySchemaElement.builder().attributeName(partitionKey).keyType(KeyType.HASH).build());
        sortKey.ifPresent(s -> schema.add(KeySchemaElement.builder().attributeName(s).keyType(KeyType.RANGE).build()));
        return schema;
    }

    private TableDescription describe(String name) {
        try {
            return dynamoDb.describeTable(r -> r.tableName(name)).table();
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------------------

    /** Stops everything; dynalite's process is gone when this returns. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        dynamoDb.close();
        dynamoDbStreams.close();
        sqs.close();
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("failed to stop " + description, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
