package dev.ben.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ben.core.model.Endpoint;
import dev.ben.events.SampleEvents;
import dev.ben.examples.orders.OrdersExample;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.TableCreation;
import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.QueueSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.Trigger.QueueTrigger;
import dev.ben.settings.Trigger.StreamTrigger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The deployed shape on LocalStack (Testcontainers): the functions' shaded jars as java21 Lambda functions with a
 * published version and the {@value BenNotification#ALIAS} alias, event source mappings on the alias with the
 * settings of {@link BenSettings} (bisect, partial batch responses, retries, record age, on-failure queue,
 * filter), and the end-to-end scenario: an order becomes PAID in system A's table → stream → notify → signed
 * webhook → receiver → system B's table.
 *
 * <p>Needs Docker (LocalStack runs the functions in containers of its own, through the Docker socket that
 * Testcontainers' {@code LocalStackContainer} mounts). Without Docker the suite is skipped with a message saying
 * so. Run (functions packaged by the same build; the two {@code failIfNoSpecifiedTests=false} let the upstream
 * modules, which have no such test, pass):
 * <pre>{@code
 * ./mvnw -B -pl infra-cdk -am verify -Dit.test=LocalStackDeploymentIT -Dtest=none \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * }</pre>
 *
 * <p>Functions declare the host's architecture ({@link LocalStackArchitecture}): in AWS they are arm64, here they
 * run natively. Tables are created through {@link TableCreation}: the first one with a stream makes LocalStack
 * fetch its Kinesis emulator, which can outlast the SDK's usual 30 s.
 */
class LocalStackDeploymentIT {

    private static final String SECRET = SampleEvents.RECEIVER_SECRET;

    private static LocalStackContainer localStack;
    private static DynamoDbClient dynamoDb;
    private static SqsClient sqs;
    private static LambdaClient lambda;
    private static final BenSettings SETTINGS = SynthesizedBen.demoSettings();
    private static final Map<String, String> TABLES = new LinkedHashMap<>();
    private static final Map<String, String> STREAMS = new LinkedHashMap<>();
    private static final Map<String, String> QUEUE_URLS = new LinkedHashMap<>();
    private static final Map<String, String> QUEUE_ARNS = new LinkedHashMap<>();

    private static final String NO_DOCKER = "Docker is not available on this machine: the LocalStack suite "
            + "(LocalStackDeploymentIT) needs it and is skipped. The Docker-free local stack covers the same "
            + "scenario (examples/orders/demo); see docs/deploy.md to run this suite where Docker exists.";
    private static boolean docker;

    @BeforeAll
    static void deploy() throws Exception {
        docker = dockerAvailable();
        if (!docker) {
            System.out.println("SKIPPED: " + NO_DOCKER);
            return;
        }
        localStack = LocalAws.localStackContainer("lambda", "dynamodb", "dynamodbstreams", "sqs", "iam", "sts", "logs")
                .withEnv("LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT", "120");
        localStack.start();
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(localStack.getAccessKey(), localStack.getSecretKey()));
        Region region = Region.of(localStack.getRegion());
        URI endpoint = localStack.getEndpoint();
        dynamoDb = DynamoDbClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(TableCreation.CREATE_TIMEOUT).build())
                .build();
        sqs = SqsClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
        lambda = LambdaClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
        String role;
        try (IamClient iam = IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
            role = iam.createRole(b -> b.roleName("ben-lambda").assumeRolePolicyDocument("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""")).role().arn();
        }
        SETTINGS.tables().forEach(LocalStackDeploymentIT::createTable);
        createQueues();
        for (FunctionSpec spec : SETTINGS.functions()) {
            deployFunction(spec, role);
        }
    }

    @BeforeEach
    void requireDocker() {
        assumeTrue(docker, NO_DOCKER);
    }

    @AfterAll
    static void stop() {
        if (localStack != null) {
            localStack.stop();
        }
    }

    @Test
    void eventSourceMappings_onTheAlias_carryTheSettings() {
        var mappings = lambda.listEventSourceMappings().eventSourceMappings();

        for (FunctionSpec spec : SETTINGS.functions()) {
            for (var trigger : spec.triggers()) {
                if (trigger instanceof StreamTrigger stream) {
                    var mapping = mappings.stream().filter(m -> m.eventSourceArn().equals(STREAMS.get(stream.table())))
                            .findFirst().orElseThrow();
                    assertThat(mapping.functionArn()).endsWith(":" + BenNotification.ALIAS);
                    assertThat(mapping.bisectBatchOnFunctionError()).isEqualTo(stream.bisectBatchOnFunctionError());
                    assertThat(mapping.maximumRetryAttempts()).isEqualTo(stream.maximumRetryAttempts());
                    assertThat(mapping.functionResponseTypes()).contains(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES);
                    assertThat(mapping.destinationConfig().onFailure().destination())
                            .isEqualTo(QUEUE_ARNS.get(stream.onFailureQueue()));
                }
                if (trigger instanceof QueueTrigger queue) {
                    var mapping = mappings.stream().filter(m -> m.eventSourceArn().equals(QUEUE_ARNS.get(queue.queue())))
                            .findFirst().orElseThrow();
                    assertThat(mapping.functionArn()).endsWith(":" + BenNotification.ALIAS);
                    assertThat(mapping.batchSize()).isEqualTo(queue.batchSize());
                }
            }
        }
    }

    @Test
    void orderBecomesPaid_reachesTheReceiverThroughStreamNotifyAndSignedWebhook() throws Exception {
        String receiverUrl = lambda.createFunctionUrlConfig(b -> b.functionName(functionName("receiver"))
                .qualifier(BenNotification.ALIAS).authType(FunctionUrlAuthType.NONE)).functionUrl();
        Endpoint endpoint = new Endpoint("ep_localstack", receiverUrl.replaceAll("/$", "") + "/webhooks/orders",
                Set.of("order.paid"), List.of(SECRET), true, "", 0, null, null, "");
        dynamoDb.putItem(b -> b.tableName(TABLES.get(BenSettings.ENDPOINTS_TABLE))
                .item(DynamoDbEndpointStore.toItem(endpoint)));
        String orderId = "ord_ls_" + System.nanoTime();
        Map<String, AttributeValue> order = new LinkedHashMap<>(Map.of(
                "orderId", AttributeValue.fromS(orderId), "status", AttributeValue.fromS("PENDING"),
                "version", AttributeValue.fromN("1"), "amount", AttributeValue.fromN("4999"),
                "currency", AttributeValue.fromS("EUR"), "updatedAt", AttributeValue.fromS(Instant.now().toString())));
        dynamoDb.putItem(b -> b.tableName(TABLES.get(SampleEvents.DEMO_SOURCE)).item(order));

        order.put("status", AttributeValue.fromS("PAID"));
        order.put("version", AttributeValue.fromN("2"));
        order.put("updatedAt", AttributeValue.fromS(Instant.now().toString()));
        dynamoDb.putItem(b -> b.tableName(TABLES.get(SampleEvents.DEMO_SOURCE)).item(order));

        Optional<Map<String, AttributeValue>> received = Optional.empty();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (received.isEmpty() && Instant.now().isBefore(deadline)) {
            var item = dynamoDb.getItem(b -> b.tableName(TABLES.get(OrdersExample.RECEIVER_ORDERS_TABLE))
                    .key(Map.of("orderId", AttributeValue.fromS(orderId))).consistentRead(true)).item();
            received = item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
            if (received.isEmpty()) {
                Thread.sleep(1000);
            }
        }
        assertThat(received).as("receiver-orders row for " + orderId).isPresent();
        assertThat(received.get().get("status").s()).isEqualTo("PAID");
        assertThat(received.get().get("version").n()).isEqualTo("2");
    }

    // ------------------------------------------------------------------ deployment

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    private static void createTable(TableSpec spec) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        java.util.function.Consumer<String> attribute = name -> {
            if (seen.add(name)) {
                attributes.add(AttributeDefinition.builder().attributeName(name)
                        .attributeType(spec.attributeType(name)).build());
            }
        };
        attribute.accept(spec.partitionKey());
        spec.sortKeyName().ifPresent(attribute);
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (TableSpec.IndexSpec index : spec.indexes()) {
            attribute.accept(index.partitionKey());
            index.sortKeyName().ifPresent(attribute);
            indexes.add(GlobalSecondaryIndex.builder().indexName(index.name())
                    .keySchema(keys(index.partitionKey(), index.sortKeyName()))
                    .projection(Projection.builder().projectionType(index.projection().name()).build()).build());
        }
        CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(spec.logicalName())
                .billingMode(BillingMode.PAY_PER_REQUEST).attributeDefinitions(attributes)
                .keySchema(keys(spec.partitionKey(), spec.sortKeyName()));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        spec.streamViewType().ifPresent(view -> request.streamSpecification(StreamSpecification.builder()
                .streamEnabled(true).streamViewType(StreamViewType.fromValue(view)).build()));
        TableDescription table = TableCreation.create(dynamoDb, request.build());
        TABLES.put(spec.logicalName(), table.tableName());
        if (table.latestStreamArn() != null) {
            STREAMS.put(spec.logicalName(), table.latestStreamArn());
        }
    }

    private static List<KeySchemaElement> keys(String partitionKey, Optional<String> sortKey) {
        List<KeySchemaElement> keys = new ArrayList<>(List.of(KeySchemaElement.builder().attributeName(partitionKey)
                .keyType(KeyType.HASH).build()));
        sortKey.ifPresent(sk -> keys.add(KeySchemaElement.builder().attributeName(sk).keyType(KeyType.RANGE).build()));
        return keys;
    }

    private static void createQueues() {
        List<QueueSpec> ordered = new ArrayList<>(SETTINGS.queues().stream()
                .filter(q -> q.redriveTarget().isEmpty()).toList());
        ordered.addAll(SETTINGS.queues().stream().filter(q -> q.redriveTarget().isPresent()).toList());
        for (QueueSpec spec : ordered) {
            Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
            attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(spec.visibilityTimeout().toSeconds()));
            attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Long.toString(spec.retention().toSeconds()));
            spec.redriveTarget().ifPresent(dlq -> attributes.put(QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + QUEUE_ARNS.get(dlq) + "\",\"maxReceiveCount\":\""
                            + spec.maxReceiveCount() + "\"}"));
            String url = sqs.createQueue(b -> b.queueName(spec.logicalName()).attributes(attributes)).queueUrl();
            QUEUE_URLS.put(spec.logicalName(), url);
            QUEUE_ARNS.put(spec.logicalName(), sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN));
        }
    }

    private static void deployFunction(FunctionSpec spec, String role) throws Exception {
        Path jar = Path.of(System.getProperty("ben.repoRoot", "..")).resolve(spec.module())
                .resolve(FunctionCode.SHADED_JAR);
        assertThat(jar).as("shaded jar (package the function modules in the same build)").isRegularFile();
        Map<String, String> env = new LinkedHashMap<>();
        spec.tables().forEach(t -> env.put(SETTINGS.table(t).envVar(), TABLES.get(t)));
        spec.queues().forEach(q -> env.put(SETTINGS.queue(q).envVar(), QUEUE_URLS.get(q)));
        env.put(EnvVars.HTTPS_ONLY, "false");
        // LocalStack's function URLs resolve to the LocalStack container, a private address.
        env.put(EnvVars.ALLOW_PRIVATE_ADDRESSES, "true");
        env.put(EnvVars.RECEIVER_SECRETS, SECRET);
        env.put(EnvVars.STATUS_API_URL, "http://127.0.0.1:9");
        env.put(EnvVars.STATUS_API_TOKEN, "localstack-token");
        env.put(EnvVars.DECLARATION, SynthesizedBen.demoDeclaration().toJson());
        env.put("JAVA_TOOL_OPTIONS", BenNotification.JAVA_TOOL_OPTIONS);
        String name = functionName(spec.logicalName());
        SdkBytes code = SdkBytes.fromByteArray(Files.readAllBytes(jar));
        lambda.createFunction(b -> b.functionName(name).runtime(Runtime.JAVA21)
                .architectures(LocalStackArchitecture.ofThisHost())
                .handler(BenNotification.handlerOf(spec)).role(role).memorySize(spec.memoryMb())
                .timeout((int) spec.timeout().toSeconds())
                .code(c -> c.zipFile(code))
                .environment(e -> e.variables(env)));
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName(name));
        String version = lambda.publishVersion(b -> b.functionName(name)).version();
        lambda.createAlias(b -> b.functionName(name).name(BenNotification.ALIAS).functionVersion(version));
        String target = name + ":" + BenNotification.ALIAS;
        for (var trigger : spec.triggers()) {
            switch (trigger) {
                case StreamTrigger s -> lambda.createEventSourceMapping(b -> b.functionName(target)
                        .eventSourceArn(STREAMS.get(s.table()))
                        .startingPosition(s.startingPosition())
                        .batchSize(s.batchSize())
                        .maximumBatchingWindowInSeconds((int) s.maxBatchingWindow().toSeconds())
                        .bisectBatchOnFunctionError(s.bisectBatchOnFunctionError())
                        .maximumRetryAttempts(s.maximumRetryAttempts())
                        .maximumRecordAgeInSeconds((int) s.maximumRecordAge().toSeconds())
                        .parallelizationFactor(s.parallelizationFactor())
                        .functionResponseTypes(s.reportBatchItemFailures()
                                ? List.of(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES) : List.of())
                        .filterCriteria(f -> f.filters(s.filterPatterns().stream()
                                .map(p -> software.amazon.awssdk.services.lambda.model.Filter.builder().pattern(p)
                                        .build()).toList()))
                        .destinationConfig(d -> d.onFailure(o -> o.destination(QUEUE_ARNS.get(s.onFailureQueue())))));
                case QueueTrigger q -> lambda.createEventSourceMapping(b -> b.functionName(target)
                        .eventSourceArn(QUEUE_ARNS.get(q.queue()))
                        .batchSize(q.batchSize())
                        .functionResponseTypes(q.reportBatchItemFailures()
                                ? List.of(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES) : List.of())
                        .scalingConfig(c -> c.maximumConcurrency(q.maximumConcurrency())));
                default -> {
                    // Schedules and HTTP APIs: the scenario invokes through a function URL instead (LocalStack's
                    // HTTP APIs are not in its community edition).
                }
            }
        }
    }

    private static String functionName(String logicalName) {
        return "ben-" + logicalName;
    }
}
