package dev.ben.reconcile;

import dev.ben.reconcile.internal.StatusJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code GET {baseUrl}/entities/{entityId}/events[?tenant=T]} — A's generic status API — authenticated by a
 * {@link RequestAuthorizer} (bearer token locally, SigV4 in AWS), real HTTP (JDK client, no redirects), connect and
 * request timeouts, response body read up to 1 MB. Each event's {@code payload} is kept as the exact JSON text A
 * sent, so that running it through the receiver's handler hashes like the webhook did.
 */
public final class HttpStatusApi implements StatusApi {

    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final HttpClient http;
    private final URI baseUrl;
    private final RequestAuthorizer authorizer;
    private final Duration requestTimeout;

    public HttpStatusApi(HttpClient http, URI baseUrl, RequestAuthorizer authorizer, Duration requestTimeout) {
        this.http = Objects.requireNonNull(http, "http");
        String base = baseUrl.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** 2 s connect timeout, {@code requestTimeout} per request. */
    public static HttpStatusApi create(URI baseUrl, RequestAuthorizer authorizer, Duration requestTimeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new HttpStatusApi(client, baseUrl, authorizer, requestTimeout);
    }

    /** 2 s connect, 5 s request timeout. */
    public static HttpStatusApi create(URI baseUrl, RequestAuthorizer authorizer) {
        return create(baseUrl, authorizer, Duration.ofSeconds(5));
    }

    @Override
    public Lookup events(String entityId, String tenantId) {
        URI uri = baseUrl.resolve("entities/" + encode(entityId) + "/events"
                + (tenantId.isEmpty() ? "" : "?tenant=" + encode(tenantId)));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET()
                .header("Accept", "application/json");
        try {
            authorizer.headers("GET", uri).forEach(builder::header);
        } catch (RuntimeException e) {
            // e.g. credentials could not be resolved: retryable, the next run may succeed
            return new Lookup.Failed("cannot authenticate status API request: " + describe(e), true);
        }
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY_BYTES);
            }
        } catch (IOException e) {
            return new Lookup.Failed("status API unreachable: " + describe(e), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lookup.Failed("interrupted", true);
        }
        int status = response.statusCode();
        if (status == 404) {
            return new Lookup.NotFound();
        }
        if (status != 200) {
            return new Lookup.Failed("status API answered " + status, status >= 500 || status == 429);
        }
        try {
            return new Lookup.Found(StatusJson.events(new String(body, StandardCharsets.UTF_8), entityId));
        } catch (IllegalArgumentException e) {
            return new Lookup.Failed("status API answer unusable: " + e.getMessage(), false);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
