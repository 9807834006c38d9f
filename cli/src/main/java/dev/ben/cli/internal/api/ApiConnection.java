package dev.ben.cli.internal.api;

import dev.ben.cli.CliException;
import dev.ben.settings.BenSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Where the management API is and how to authenticate, from the environment (the CLI's flags folded in):
 * {@code BEN_API_URL}, else the API of a running {@code ./ben-local} ({@link LocalDiscovery}); a bearer token
 * from {@code BEN_API_TOKEN} (or the discovery file for its URL), else SigV4 with the AWS credentials
 * ({@code AWS_PROFILE}, {@code AWS_ACCESS_KEY_ID}..., else the default chain) and region ({@code AWS_REGION}, the
 * profile's, else the one in an {@code execute-api} host name).
 */
public final class ApiConnection {

    public static final String URL = "BEN_API_URL";
    public static final String TOKEN = "BEN_API_TOKEN";
    private static final Pattern EXECUTE_API_HOST = Pattern.compile("[^.]+\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

    private ApiConnection() {
    }

    /** With the discovery file of a ./ben-local of this user ({@code HOME}, else {@code user.home}). */
    public static ApiClient open(Map<String, String> env) {
        String home = env.get("HOME");
        Path dir = Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home);
        return open(env, LocalDiscovery.at(dir.resolve(BenSettings.LOCAL_MANAGEMENT_API_FILE)));
    }

    public static ApiClient open(Map<String, String> env, LocalDiscovery discovery) {
        Optional<String> url = get(env, URL);
        Optional<LocalDiscovery.LocalApi> local = url.isPresent() ? Optional.empty() : discovery.find();
        URI base = url.map(ApiConnection::uri).or(() -> local.map(LocalDiscovery.LocalApi::url))
                .orElseThrow(() -> CliException.usage("no management API to talk to: pass --api-url (or set "
                        + URL + ") to a deployed stack's UrlManagementApi output, or start ./ben-local"));
        Optional<String> token = get(env, TOKEN).or(() -> local.map(LocalDiscovery.LocalApi::token))
                .or(() -> discovery.find().filter(l -> l.url().equals(base)).map(LocalDiscovery.LocalApi::token));
        RequestAuthorizer authorizer = token.<RequestAuthorizer>map(BearerToken::new)
                .orElseGet(() -> new SigV4Signer(credentials(env), region(env, base), Clock.systemUTC()));
        return new ApiClient(base, authorizer);
    }

    static URI uri(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw CliException.usage("--api-url / " + URL + " \"" + url + "\" is not an http(s):// URL");
        }
    }

    /** {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, the profile's region, else the API host's. */
    static String region(Map<String, String> env, URI base) {
        return get(env, "AWS_REGION").or(() -> get(env, "AWS_DEFAULT_REGION"))
                .or(() -> profileRegion(get(env, "AWS_PROFILE").orElse(null)))
                .or(() -> hostRegion(base))
                .orElseThrow(() -> CliException.usage("cannot tell the region of " + base + " to sign requests: "
                        + "pass --region (or set AWS_REGION), or --api-token for a bearer token"));
    }

    static Optional<String> hostRegion(URI base) {
        Matcher m = EXECUTE_API_HOST.matcher(base.getHost() == null ? "" : base.getHost());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
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

    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        Optional<String> profile = get(env, "AWS_PROFILE");
        if (profile.isPresent()) {
            return ProfileCredentialsProvider.builder().profileName(profile.get()).build();
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

    private static Optional<String> get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }
}
