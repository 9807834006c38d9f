package dev.ben.examples.orders.testing;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server that turns requests into HTTP API payload 2.0 events for one handler, the way API Gateway
 * does (lower-cased headers, comma-joined repeats, base64 for non-text bodies). Stands in front of the receiver
 * function until the local runtime's HTTP API is used.
 */
public final class HttpApiFront implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    public HttpApiFront(String method, String route,
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(threads);
        server.createContext("/", exchange -> serve(exchange, method, route, handler));
        server.start();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void serve(HttpExchange exchange, String method, String route,
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getRawPath();
            String requestMethod = exchange.getRequestMethod();
            if (!path.equals(route) || !requestMethod.equals(method)) {
                respond(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}");
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            String contentType = headers.getOrDefault("content-type", "");
            boolean text = contentType.startsWith("text/") || contentType.contains("json");
            APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                    .withVersion("2.0")
                    .withRouteKey(method + " " + route)
                    .withRawPath(path)
                    .withRawQueryString(exchange.getRequestURI().getRawQuery() == null ? ""
                            : exchange.getRequestURI().getRawQuery())
                    .withHeaders(headers)
                    .withBody(body.length == 0 ? null
                            : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                    .withIsBase64Encoded(body.length > 0 && !text)
                    .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                            .withRequestId(UUID.randomUUID().toString())
                            .withRouteKey(method + " " + route)
                            .withStage("$default")
                            .withTimeEpoch(Instant.now().toEpochMilli())
                            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                    .withMethod(method).withPath(path).withProtocol("HTTP/1.1")
                                    .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                                    .build())
                            .build())
                    .build();
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
            respond(exchange, response.getStatusCode(),
                    response.getHeaders() == null ? Map.of() : response.getHeaders(),
                    response.getBody() == null ? "" : response.getBody());
        }
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().put(name, List.of(value)));
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
