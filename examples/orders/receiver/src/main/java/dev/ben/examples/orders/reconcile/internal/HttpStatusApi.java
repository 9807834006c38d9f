package dev.ben.examples.orders.reconcile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.examples.orders.internal.JsonLines;
import dev.ben.examples.orders.reconcile.StatusApi;
import dev.ben.examples.orders.store.OrderState;
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
 * {@code GET {baseUrl}/entities/{orderId}/events} — A's generic status API — authenticated by a
 * {@link RequestAuthorizer} (bearer token locally, SigV4 in AWS), real HTTP (JDK client), connect and request
 * timeouts, response body read up to 64 KB. The order's state is the latest event's (the list is latest first):
 * its {@code version} and its payload's {@code data.status}. 404 (no events of the order yet) is
 * {@link Lookup.NotFound}.
 */
public final class HttpStatusApi implements StatusApi {

    static final int MAX_BODY_BYTES = 64 * 1024;

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

    /** Bearer-token authentication (the local stack's status API). */
    public static HttpStatusApi create(URI baseUrl, String token) {
        return create(baseUrl, RequestAuthorizer.bearer(token));
    }

    public static HttpStatusApi create(URI baseUrl, RequestAuthorizer authorizer) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new HttpStatusApi(client, baseUrl, authorizer, Duration.ofSeconds(5));
    }

    @Override
    public Lookup order(String orderId) {
        URI uri = baseUrl.resolve("entities/" + URLEncoder.encode(orderId, StandardCharsets.UTF_8).replace("+", "%20")
                + "/events");
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET()
                .header("Accept", "application/json");
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            authorizer.headers("GET", uri).forEach(builder::header);
        } catch (RuntimeException e) {
            // e.g. credentials could not be resolved: retryable, the next run may succeed
            return new Lookup.Failed("cannot authenticate status API request: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), true);
        }
        HttpRequest request = builder.build();
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY_BYTES);
            }
        } catch (IOException e) {
            return new Lookup.Failed("status API unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lookup.Failed("interrupted", true);
        }
        int status = response.statusCode();
        if (status == 404) {
            return new Lookup.NotFound(orderId);
        }
        if (status != 200) {
            return new Lookup.Failed("status API answered " + status, status >= 500);
        }
        try {
            JsonNode json = JsonLines.MAPPER.readTree(body);
            JsonNode latest = json.path("events").path(0);
            JsonNode version = latest.path("version");
            String id = json.path("entityId").asText("");
            String state = latest.path("payload").path("data").path("status").asText("");
            if (!id.equals(orderId) || state.isEmpty() || !version.isIntegralNumber()) {
                return new Lookup.Failed("status API answer lacks entityId, or its latest event a version and"
                        + " payload.data.status", false);
            }
            return new Lookup.Found(new OrderState(id, state, version.asLong(),
                    latest.path("payload").path("timestamp").asText(latest.path("createdAt").asText(""))));
        } catch (IOException | IllegalArgumentException e) {
            return new Lookup.Failed("status API answer is not valid JSON", false);
        }
    }
}
