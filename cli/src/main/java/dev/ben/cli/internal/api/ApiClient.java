package dev.ben.cli.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.ben.cli.CliException;
import dev.ben.cli.ExitCodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The management API over HTTP (JDK client): JSON in and out, each request authorized by a
 * {@link RequestAuthorizer}; error answers become {@link CliException}s ({@link ApiErrors}).
 */
public final class ApiClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final RequestAuthorizer authorizer;
    private final HttpClient http;

    public ApiClient(URI base, RequestAuthorizer authorizer) {
        this.base = base;
        this.authorizer = authorizer;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI base() {
        return base;
    }

    public RequestAuthorizer authorizer() {
        return authorizer;
    }

    public JsonNode get(ApiPath path) {
        return send("GET", path, null, Map.of());
    }

    public JsonNode post(ApiPath path, Object body) {
        return send("POST", path, body, Map.of());
    }

    public JsonNode patch(ApiPath path, Object body) {
        return send("PATCH", path, body, Map.of());
    }

    public JsonNode delete(ApiPath path) {
        return send("DELETE", path, null, Map.of());
    }

    /** @return the response's JSON (a {@link NullNode} for an empty body) */
    public JsonNode send(String method, ApiPath path, Object body, Map<String, String> headers) {
        URI uri = path.resolve(base);
        byte[] bytes = body == null ? new byte[0] : json(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Accept", "application/json")
                .method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bytes.length > 0) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        authorizer.headers(method, uri, bytes).forEach(request::header);
        HttpResponse<String> response = exchange(request.build(), method, path);
        JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw ApiErrors.of(response.statusCode(), answer, response.body(), method, path.path());
        }
        return answer;
    }

    private HttpResponse<String> exchange(HttpRequest request, String method, ApiPath path) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(ExitCodes.AWS, "cannot reach the management API at " + base + " (" + method + " "
                    + path.path() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "); check --api-url / BEN_API_URL, or start ./ben-local");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERNAL, "interrupted");
        }
    }

    private static byte[] json(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return NullNode.getInstance(); // an error page: ApiErrors shows the raw text
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
