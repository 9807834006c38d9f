package dev.ben.sender.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.settings.UserAgent;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/** The clients built from a function's environment, read without a network call. */
class AwsClientsTest {

    private static AwsCredentialsIdentity credentials(AwsClients clients) {
        return clients.dynamoDb().serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
    }

    @Test
    void fromEnv_takesTheRegionAndPerServiceEndpoints() {
        try (AwsClients clients = AwsClients.fromEnv(Map.of("AWS_REGION", "eu-west-3",
                "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:4567", "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324",
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"), List.of())) {

            assertThat(clients.dynamoDb().serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_3);
            assertThat(clients.sqs().serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_3);
            assertThat(clients.dynamoDb().serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://127.0.0.1:4567"));
            assertThat(clients.sqs().serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://127.0.0.1:9324"));
        }
    }

    @Test
    void fromEnv_fallsBackToTheDefaultRegionVariable_thenUsEast1() {
        try (AwsClients byDefault = AwsClients.fromEnv(Map.of("AWS_DEFAULT_REGION", "ap-south-1",
                "AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"), List.of());
             AwsClients none = AwsClients.fromEnv(Map.of("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"),
                     List.of())) {

            assertThat(byDefault.dynamoDb().serviceClientConfiguration().region()).isEqualTo(Region.AP_SOUTH_1);
            assertThat(none.dynamoDb().serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
            assertThat(none.dynamoDb().serviceClientConfiguration().endpointOverride()).isEmpty();
        }
    }

    @Test
    void fromEnv_benEndpointsAndTheGeneralEndpoint_areFallbacks_blankIsNone() {
        try (AwsClients ben = AwsClients.fromEnv(Map.of("BEN_DYNAMODB_ENDPOINT", "http://127.0.0.1:1",
                "BEN_SQS_ENDPOINT", "http://127.0.0.1:2", "AWS_ENDPOINT_URL", "http://127.0.0.1:3",
                "AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"), List.of());
             AwsClients general = AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:3",
                     "AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"), List.of());
             AwsClients blank = AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", " ",
                     "AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"), List.of())) {

            assertThat(ben.dynamoDb().serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://127.0.0.1:1"));
            assertThat(ben.sqs().serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://127.0.0.1:2"));
            assertThat(general.sqs().serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://127.0.0.1:3"));
            assertThat(blank.dynamoDb().serviceClientConfiguration().endpointOverride()).isEmpty();
        }
    }

    @Test
    void fromEnv_credentialsFromTheGivenEnvironment_withTheSessionTokenWhenThere() {
        try (AwsClients basic = AwsClients.fromEnv(Map.of("AWS_ACCESS_KEY_ID", "AKIDLOCAL",
                "AWS_SECRET_ACCESS_KEY", "secret"), List.of());
             AwsClients session = AwsClients.fromEnv(Map.of("AWS_ACCESS_KEY_ID", "ASIALOCAL",
                     "AWS_SECRET_ACCESS_KEY", "secret", "AWS_SESSION_TOKEN", "token"), List.of())) {

            AwsCredentialsIdentity fromBasic = credentials(basic);
            AwsCredentialsIdentity fromSession = credentials(session);

            assertThat(fromBasic.accessKeyId()).isEqualTo("AKIDLOCAL");
            assertThat(fromBasic).isNotInstanceOf(AwsSessionCredentials.class);
            assertThat(fromSession).isInstanceOfSatisfying(AwsSessionCredentials.class,
                    c -> assertThat(c.sessionToken()).isEqualTo("token"));
            assertThat(fromSession).isInstanceOf(AwsCredentials.class);
        }
    }

    @Test
    void fromEnv_addsTheGivenInterceptorsToBothClients() {
        ExecutionInterceptor tracing = new ExecutionInterceptor() {
        };

        try (AwsClients clients = AwsClients.fromEnv(Map.of("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"),
                List.of(tracing))) {

            assertThat(clients.dynamoDb().serviceClientConfiguration().overrideConfiguration().executionInterceptors())
                    .contains(tracing);
            assertThat(clients.sqs().serviceClientConfiguration().overrideConfiguration().executionInterceptors())
                    .contains(tracing);
        }
    }

    @Test
    void fromEnv_withoutKeys_usesTheSdksDefaultCredentialChain() {
        try (AwsClients clients = AwsClients.fromEnv(Map.of("AWS_REGION", "eu-west-3"), List.of())) {

            assertThat(clients.dynamoDb().serviceClientConfiguration().credentialsProvider())
                    .isInstanceOf(DefaultCredentialsProvider.class);
        }
    }

    @Test
    void fromEnv_forAFunction_suffixesBothClientsUserAgentWithItsName_toolsGetNoSuffix() {
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s");

        try (AwsClients function = AwsClients.fromEnv(env, "notify", List.of());
             AwsClients tool = AwsClients.fromEnv(env, List.of())) {

            assertThat(function.dynamoDb().serviceClientConfiguration().overrideConfiguration()
                    .advancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX)).contains(UserAgent.suffix("notify"));
            assertThat(function.sqs().serviceClientConfiguration().overrideConfiguration()
                    .advancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX)).contains(UserAgent.suffix("notify"));
            assertThat(tool.dynamoDb().serviceClientConfiguration().overrideConfiguration()
                    .advancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX).orElse(""))
                    .doesNotContain(UserAgent.suffix("notify"));
        }
    }
}
