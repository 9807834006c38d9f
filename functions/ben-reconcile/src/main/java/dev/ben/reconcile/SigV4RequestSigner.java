package dev.ben.reconcile;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Signs status API requests with AWS Signature Version 4 (service {@code execute-api}) for the IAM-authorized
 * HTTP API routes in AWS. Credentials are resolved on every call (the provider caches and refreshes them), so
 * a SnapStart snapshot never carries stale keys. Returns every header the signer set except {@code Host}, which
 * the JDK HTTP client derives itself from the same URI (host, plus the port when not the scheme's default).
 */
public final class SigV4RequestSigner implements RequestAuthorizer {

    public static final String SERVICE = "execute-api";

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final Clock clock;

    public SigV4RequestSigner(AwsCredentialsProvider credentials, String region, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.region = Objects.requireNonNull(region, "region");
        if (region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Map<String, String> headers(String method, URI uri) {
        SdkHttpRequest request = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method)).build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("Host") && !h.getValue().isEmpty()) {
                headers.put(h.getKey(), h.getValue().get(0));
            }
        }
        return headers;
    }
}
