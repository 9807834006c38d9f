package dev.ben.cli.internal.api;

import dev.ben.cli.CliException;
import dev.ben.cli.ExitCodes;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * AWS Signature Version 4 for the management API's IAM-authorized routes (service {@code execute-api}), body
 * included, as {@code awscurl} signs. Credentials are resolved per request (the provider caches and refreshes).
 */
public final class SigV4Signer implements RequestAuthorizer {

    public static final String SERVICE = "execute-api";
    /** Set by the JDK HTTP client itself (it refuses them as request headers); the values it sends are the same. */
    private static final Set<String> CLIENT_SET = Set.of("host", "content-length");

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final Clock clock;

    public SigV4Signer(AwsCredentialsProvider credentials, String region, Clock clock) {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("a region is needed to sign management API requests");
        }
        this.credentials = credentials;
        this.region = region;
        this.clock = clock;
    }

    public String region() {
        return region;
    }

    /** The credentials to sign with; none found is a clear error (exit 4), not a stack trace. */
    private AwsCredentials resolved() {
        try {
            return credentials.resolveCredentials();
        } catch (SdkClientException none) {
            throw new CliException(ExitCodes.AWS, "no AWS credentials to sign management API requests with ("
                    + none.getMessage() + "); pass --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
                    + "AWS_SECRET_ACCESS_KEY, or give a local API's token with --api-token");
        }
    }

    @Override
    public Map<String, String> headers(String method, URI uri, byte[] body) {
        SdkHttpRequest request = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method)).build();
        SignedRequest signed = signer.sign(r -> r.identity(resolved())
                .request(request)
                .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (!CLIENT_SET.contains(h.getKey().toLowerCase(Locale.ROOT)) && !h.getValue().isEmpty()) {
                headers.put(h.getKey(), h.getValue().getFirst());
            }
        }
        return headers;
    }
}
