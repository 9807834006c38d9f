package dev.ben.infra.iam;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A reverse proxy in front of a local HTTP API that records each request as {@code execute-api:Invoke} by one
 * function: in AWS the route is IAM-authorized, so the caller's role must allow it. Only that function is given
 * the proxy's URL, which is what attributes the calls to it.
 */
final class RecordingApiProxy implements AutoCloseable {

    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "transfer-encoding",
            "upgrade", "expect", "keep-alive");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String function;
    private final String api;
    private volatile URI target;

    private RecordingApiProxy(String function, String api) throws IOException {
        this.function = function;
        this.api = api;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::forward);
        server.start();
    }

    /** A proxy recording calls of {@code function} to {@code api}; {@link #target(URI)} sets where it forwards. */
    static RecordingApiProxy start(String function, String api) {
        try {
            return new RecordingApiProxy(function, api);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the recording proxy", e);
        }
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void target(URI apiBaseUri) {
        this.target = apiBaseUri;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI requested = exchange.getRequestURI();
            CallRecorder.record(new AwsCall(function, "execute-api:Invoke",
                    new CallResource.ApiRoute(api, method, requested.getRawPath())));
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(requested.getRawPath()
                            + (requested.getRawQuery() == null ? "" : "?" + requested.getRawQuery())))
                    .timeout(Duration.ofSeconds(20))
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
                if (!HOP_HEADERS.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))
                        && !header.getKey().startsWith(":")) {
                    exchange.getResponseHeaders().put(header.getKey(), header.getValue());
                }
            }
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
