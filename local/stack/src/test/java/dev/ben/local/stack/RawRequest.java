package dev.ben.local.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A DynamoDB request written by hand and sent with {@code java.net.http} over HTTP/1.1: any method, path, query,
 * header and body. {@link #signed()} signs it with SigV4 as the SDK does (dummy credentials {@code local}/
 * {@code local}), in the Authorization header or, with {@link #signedInQuery()}, in the query string.
 */
record RawRequest(String method, String pathAndQuery, Map<String, String> headers, byte[] body, Signing signing) {

    enum Signing { NONE, HEADER, QUERY }

    static final String AMZ_JSON = "application/x-amz-json-1.0";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    RawRequest {
        headers = new LinkedHashMap<>(headers);
    }

    /** {@code POST /} with {@code Content-Type: application/x-amz-json-1.0}, the target and the body; unsigned. */
    static RawRequest operation(String target, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", AMZ_JSON);
        headers.put("X-Amz-Target", target);
        return new RawRequest("POST", "/", headers, body.getBytes(StandardCharsets.UTF_8), Signing.NONE);
    }

    RawRequest method(String newMethod) {
        return new RawRequest(newMethod, pathAndQuery, headers, body, signing);
    }

    RawRequest path(String newPathAndQuery) {
        return new RawRequest(method, newPathAndQuery, headers, body, signing);
    }

    RawRequest header(String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(headers);
        changed.put(name, value);
        return new RawRequest(method, pathAndQuery, changed, body, signing);
    }

    RawRequest withoutHeader(String name) {
        Map<String, String> changed = new LinkedHashMap<>(headers);
        changed.keySet().removeIf(name::equalsIgnoreCase);
        return new RawRequest(method, pathAndQuery, changed, body, signing);
    }

    RawRequest body(byte[] newBody) {
        return new RawRequest(method, pathAndQuery, headers, newBody, signing);
    }

    RawRequest signed() {
        return new RawRequest(method, pathAndQuery, headers, body, Signing.HEADER);
    }

    RawRequest signedInQuery() {
        return new RawRequest(method, pathAndQuery, headers, body, Signing.QUERY);
    }

    RawResponse sendTo(URI endpoint) {
        URI uri = endpoint.resolve(pathAndQuery);
        Map<String, String> sent = new LinkedHashMap<>(headers);
        if (signing != Signing.NONE) {
            SdkHttpRequest signedRequest = sign(uri);
            uri = signedRequest.getUri();
            signedRequest.forEachHeader((name, values) -> {
                if (!name.equalsIgnoreCase("Host")) { // java.net.http sends the same Host itself
                    sent.put(name, values.getFirst());
                }
            });
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        sent.forEach(request::header);
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new RawResponse(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private SdkHttpRequest sign(URI uri) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method));
        headers.forEach(unsigned::putHeader);
        SignedRequest signedRequest = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                .putProperty(AwsV4HttpSigner.REGION_NAME, LocalAws.REGION)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION,
                        signing == Signing.QUERY ? AuthLocation.QUERY_STRING : AuthLocation.HEADER));
        return signedRequest.request();
    }
}
