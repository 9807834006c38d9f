package dev.ben.sender.internal.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import dev.ben.settings.UserAgent;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SDK clients from an environment map: region from {@code AWS_REGION}, endpoint from
 * {@code AWS_ENDPOINT_URL_DYNAMODB} / {@code AWS_ENDPOINT_URL_SQS} / {@code AWS_ENDPOINT_URL} (as the SDK itself
 * does, but read from the given map so the local runtime can pass per-function environments), the light
 * url-connection HTTP client, and call timeouts. A function's clients carry the User-Agent suffix
 * {@code ben/<function>} ({@link UserAgent}), so CloudTrail (and the IAM-from-calls test) can tell which function
 * made a call.
 */
public record AwsClients(DynamoDbClient dynamoDb, SqsClient sqs) implements AutoCloseable {

    /** Clients without a function's User-Agent suffix (tools such as the CLI). */
    public static AwsClients fromEnv(Map<String, String> env, List<ExecutionInterceptor> interceptors) {
        return build(env, Optional.empty(), interceptors);
    }

    /** A function's clients: User-Agent suffix {@code ben/<functionName>}. */
    public static AwsClients fromEnv(Map<String, String> env, String functionName,
                                     List<ExecutionInterceptor> interceptors) {
        return build(env, Optional.of(UserAgent.suffix(functionName)), interceptors);
    }

    private static AwsClients build(Map<String, String> env, Optional<String> userAgentSuffix,
                                    List<ExecutionInterceptor> interceptors) {
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(10)).build();
        Region region = Region.of(Optional.ofNullable(env.get("AWS_REGION"))
                .or(() -> Optional.ofNullable(env.get("AWS_DEFAULT_REGION"))).orElse("us-east-1"));
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .apiCallTimeout(Duration.ofSeconds(20)).apiCallAttemptTimeout(Duration.ofSeconds(5));
        interceptors.forEach(override::addExecutionInterceptor);
        userAgentSuffix.ifPresent(suffix -> override.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX,
                suffix));
        AwsCredentialsProvider credentials = credentials(env);

        var dynamo = DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .overrideConfiguration(override.build());
        endpoint(env, "AWS_ENDPOINT_URL_DYNAMODB", "BEN_DYNAMODB_ENDPOINT").ifPresent(dynamo::endpointOverride);
        var sqs = SqsClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .overrideConfiguration(override.build());
        endpoint(env, "AWS_ENDPOINT_URL_SQS", "BEN_SQS_ENDPOINT").ifPresent(sqs::endpointOverride);
        return new AwsClients(dynamo.build(), sqs.build());
    }

    private static Optional<URI> endpoint(Map<String, String> env, String serviceVariable, String benVariable) {
        return Optional.ofNullable(env.get(serviceVariable)).or(() -> Optional.ofNullable(env.get(benVariable)))
                .or(() -> Optional.ofNullable(env.get("AWS_ENDPOINT_URL")))
                .filter(s -> !s.isBlank()).map(URI::create);
    }

    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (key != null && secret != null) {
            // from the given environment (Lambda sets these; the local runtime passes its own)
            var basic = env.get("AWS_SESSION_TOKEN") == null
                    ? software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(key, secret)
                    : software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(key, secret,
                            env.get("AWS_SESSION_TOKEN"));
            return software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(basic);
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public void close() {
        dynamoDb.close();
        sqs.close();
    }
}
