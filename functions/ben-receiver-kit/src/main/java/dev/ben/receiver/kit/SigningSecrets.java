package dev.ben.receiver.kit;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Where a receiver's signing secrets ({@code whsec_...}, space separated during a rotation) come from, read once at
 * start-up so that they never sit in a template parameter or in the function's configuration:
 *
 * <table>
 * <caption>Environment (exactly one)</caption>
 * <tr><td>{@value #SECRET_ARN}</td><td>a Secrets Manager secret (ARN or name) whose {@code SecretString} is the list
 *     (the receiver constructs set this; needs {@code secretsmanager:GetSecretValue})</td></tr>
 * <tr><td>{@value #PARAMETER}</td><td>an SSM Parameter Store parameter (name; {@code SecureString}, read with
 *     decryption; needs {@code ssm:GetParameter} and {@code kms:Decrypt} on its key)</td></tr>
 * <tr><td>{@value #PLAIN}</td><td>the list itself: local runs and tests (and the orders demo's {@code template.yaml},
 *     which still passes a NoEcho parameter); the receiver constructs never set it</td></tr>
 * </table>
 *
 * <p>Clients: region {@code AWS_REGION}, endpoint {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} / {@code AWS_ENDPOINT_URL_SSM}
 * (else {@code AWS_ENDPOINT_URL}) from the given environment, url-connection HTTP client, 5 s call timeout.
 */
public final class SigningSecrets {

    public static final String SECRET_ARN = "BEN_RECEIVER_SECRETS_ARN";
    public static final String PARAMETER = "BEN_RECEIVER_SECRETS_PARAMETER";
    public static final String PLAIN = "BEN_RECEIVER_SECRETS";

    /** Reads the secret list from one store. */
    @FunctionalInterface
    public interface Source {
        String read();
    }

    private SigningSecrets() {
    }

    /** The space-separated secret list, from the store the environment names. */
    public static String fromEnvironment(Map<String, String> env) {
        return source(env).read();
    }

    /** The source the environment names; fails naming the three variables when it names none or several. */
    public static Source source(Map<String, String> env) {
        String arn = value(env, SECRET_ARN);
        String parameter = value(env, PARAMETER);
        String plain = value(env, PLAIN);
        int given = (arn == null ? 0 : 1) + (parameter == null ? 0 : 1) + (plain == null ? 0 : 1);
        if (given != 1) {
            throw new IllegalStateException("set exactly one of " + SECRET_ARN + " (Secrets Manager), " + PARAMETER
                    + " (SSM Parameter Store) or " + PLAIN + " (the whsec_ list itself, local runs only); "
                    + given + " are set");
        }
        if (plain != null) {
            return () -> plain;
        }
        if (arn != null) {
            return secretsManager(secretsManagerClient(env), arn);
        }
        return parameterStore(ssmClient(env), parameter);
    }

    /** The {@code SecretString} of a Secrets Manager secret. */
    public static Source secretsManager(SecretsManagerClient client, String secretId) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(secretId, "secretId");
        return () -> nonBlank(client.getSecretValue(get -> get.secretId(secretId)).secretString(), "secret " + secretId);
    }

    /** The decrypted value of an SSM parameter. */
    public static Source parameterStore(SsmClient client, String name) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(name, "name");
        return () -> nonBlank(client.getParameter(get -> get.name(name).withDecryption(true)).parameter().value(),
                "parameter " + name);
    }

    private static String nonBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(what + " is empty: store the whsec_ signing secret(s), space separated");
        }
        return value;
    }

    private static SecretsManagerClient secretsManagerClient(Map<String, String> env) {
        var builder = SecretsManagerClient.builder().httpClient(httpClient()).region(region(env))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(5)));
        endpoint(env, "AWS_ENDPOINT_URL_SECRETS_MANAGER").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static SsmClient ssmClient(Map<String, String> env) {
        var builder = SsmClient.builder().httpClient(httpClient()).region(region(env))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(5)));
        endpoint(env, "AWS_ENDPOINT_URL_SSM").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5)).build();
    }

    private static Region region(Map<String, String> env) {
        return Region.of(env.getOrDefault("AWS_REGION", "us-east-1"));
    }

    private static Optional<URI> endpoint(Map<String, String> env, String serviceVariable) {
        String value = env.getOrDefault(serviceVariable, env.get("AWS_ENDPOINT_URL"));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(URI.create(value));
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
