package dev.ben.cli.internal;

import dev.ben.cli.CliException;
import dev.ben.sender.internal.SenderConfig;
import dev.ben.sender.internal.Telemetry;
import dev.ben.sender.internal.aws.DynamoDbAttemptLog;
import dev.ben.sender.internal.aws.DynamoDbDeliveryStore;
import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
import dev.ben.sender.internal.aws.SqsRetryQueue;
import dev.ben.settings.BenSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The SDK clients and the sender's adapters (endpoint store, delivery store, attempt log, retry queue) for one
 * CLI invocation or the status page. Table names and queue URLs come from the same environment variables as the
 * functions ({@code TableSpec.envVar()}, {@code QueueSpec.envVar()}), else the logical names of
 * {@link BenSettings} (queue URLs then resolved with GetQueueUrl).
 */
public final class BenConnection implements AutoCloseable {

    private final Map<String, String> env;
    private final SenderConfig config;
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final Clock clock;
    private final Map<String, String> queueUrls = new HashMap<>();

    BenConnection(Map<String, String> env, DynamoDbClient dynamo, SqsClient sqs, Clock clock) {
        this.env = Map.copyOf(env);
        this.config = new SenderConfig(this.env);
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.clock = clock;
    }

    /**
     * Builds clients from an environment map (process environment plus the CLI's flags already folded in):
     * {@code AWS_REGION}, {@code AWS_PROFILE}, {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY},
     * {@code AWS_ENDPOINT_URL_DYNAMODB}/{@code AWS_ENDPOINT_URL_SQS}/{@code AWS_ENDPOINT_URL}.
     */
    public static BenConnection fromEnvironment(Map<String, String> env) {
        Map<String, String> e = new HashMap<>();
        env.forEach((k, v) -> {
            if (k != null && v != null) {
                e.put(k, v);
            }
        });
        String profile = get(e, "AWS_PROFILE").orElse(null);
        Region region = Region.of(get(e, "AWS_REGION").or(() -> get(e, "AWS_DEFAULT_REGION"))
                .or(() -> profileRegion(profile)).orElse("us-east-1"));
        AwsCredentialsProvider credentials = credentials(e, profile);
        ClientOverrideConfiguration override = ClientOverrideConfiguration.builder()
                .apiCallTimeout(Duration.ofSeconds(30)).apiCallAttemptTimeout(Duration.ofSeconds(10))
                .retryStrategy(b -> b.maxAttempts(3)) // an operator waits: fail fast, with a clear message
                .build();
        var dynamo = DynamoDbClient.builder().region(region).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(override);
        endpoint(e, "AWS_ENDPOINT_URL_DYNAMODB", "BEN_DYNAMODB_ENDPOINT").ifPresent(dynamo::endpointOverride);
        var sqs = SqsClient.builder().region(region).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(25)))
                .overrideConfiguration(override);
        endpoint(e, "AWS_ENDPOINT_URL_SQS", "BEN_SQS_ENDPOINT").ifPresent(sqs::endpointOverride);
        return new BenConnection(e, dynamo.build(), sqs.build(), Clock.systemUTC());
    }

    private static Optional<String> profileRegion(String profile) {
        if (profile == null) {
            return Optional.empty();
        }
        try {
            return ProfileFile.defaultProfileFile().profile(profile).flatMap(p -> p.property("region"));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static AwsCredentialsProvider credentials(Map<String, String> env, String profile) {
        if (profile != null) {
            return ProfileCredentialsProvider.builder().profileName(profile).build();
        }
        Optional<String> key = get(env, "AWS_ACCESS_KEY_ID");
        Optional<String> secret = get(env, "AWS_SECRET_ACCESS_KEY");
        if (key.isPresent() && secret.isPresent()) {
            Optional<String> session = get(env, "AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(session.isPresent()
                    ? AwsSessionCredentials.create(key.get(), secret.get(), session.get())
                    : AwsBasicCredentials.create(key.get(), secret.get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static Optional<URI> endpoint(Map<String, String> env, String serviceVariable, String benVariable) {
        return get(env, serviceVariable).or(() -> get(env, benVariable)).or(() -> get(env, "AWS_ENDPOINT_URL"))
                .map(URI::create);
    }

    private static Optional<String> get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public Clock clock() {
        return clock;
    }

    public DynamoDbClient dynamoDb() {
        return dynamo;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public Map<String, String> env() {
        return env;
    }

    /** Physical table name of a logical one. */
    public String table(String logicalName) {
        return config.table(logicalName);
    }

    /** Queue URL of a logical queue: its env var, else GetQueueUrl by name (the logical name locally). */
    public synchronized String queueUrl(String logicalName) {
        return queueUrls.computeIfAbsent(logicalName, name -> {
            Optional<String> configured = get(env, BenSettings.own().queue(name).envVar());
            if (configured.isPresent()) {
                return configured.get();
            }
            try {
                return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
            } catch (QueueDoesNotExistException e) {
                throw CliException.notFound("queue " + name + " does not exist; pass its URL with the "
                        + BenSettings.own().queue(name).envVar() + " environment variable or the matching "
                        + "--*-queue-url option");
            }
        });
    }

    public DynamoDbEndpointStore endpoints() {
        return new DynamoDbEndpointStore(dynamo, table(BenSettings.ENDPOINTS_TABLE), clock, Duration.ZERO,
                Telemetry.silent()); // the CLI reports problems itself
    }

    public DynamoDbDeliveryStore deliveries() {
        return new DynamoDbDeliveryStore(dynamo, table(BenSettings.DELIVERIES_TABLE), config.historyRetention());
    }

    public DynamoDbAttemptLog attempts() {
        return new DynamoDbAttemptLog(dynamo, table(BenSettings.ATTEMPTS_TABLE), config.historyRetention());
    }

    public SqsRetryQueue retryQueue() {
        return new SqsRetryQueue(sqs, queueUrl(BenSettings.RETRY_QUEUE), queueUrl(BenSettings.RETRY_DLQ));
    }

    @Override
    public void close() {
        dynamo.close();
        sqs.close();
    }
}
