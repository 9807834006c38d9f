package dev.ben.local.runtime.internal;

import dev.ben.local.runtime.InvocationResult;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP API (API Gateway HTTP API, payload format 2.0, stage {@code $default}) on a JDK {@link HttpServer}
 * bound to a free loopback port. Requests are matched to the most specific route, turned into an
 * {@link APIGatewayV2HTTPEvent}, and the function's response is mapped back the way API Gateway does
 * (structured response with statusCode, or any other value as a 200 JSON body). Unknown routes get 404,
 * request payloads over Lambda's 6 MB limit get 413, function errors and timeouts get 500.
 * Routes with IAM auth are passed through unauthenticated locally (no SigV4 check): the handler must do its
 * own check (Ben's status API compares a bearer token when requestContext.authorizer.iam is absent).
 */
public final class HttpApiServer implements EventSource {
    /** Lambda's synchronous invocation payload limit. */
    public static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final String apiName;
    private volatile List<HttpRoute> routes = List.of();
    private final Clock clock;
    private final RuntimeLog log;
    private final ExecutorService executor;
    private final HttpServer server;

    /** Binds a free loopback port now (so functions can be told the URL); serves after {@link #start()}. */
    public HttpApiServer(String apiName, Clock clock, RuntimeLog log) {
        this.apiName = apiName;
        this.clock = clock;
        this.log = log;
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ben-http-" + apiName + "-", 0).factory());
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the HTTP API " + apiName + ": " + e.getMessage(), e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public String apiName() {
        return apiName;
    }

    public URI baseUri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    public void routes(List<HttpRoute> routes) {
        this.routes = routes.stream().sorted(Comparator.comparingInt(HttpRoute::specificity).reversed()).toList();
    }

    public List<HttpRoute> routes() {
        return routes;
    }

    @Override
    public void start() {
        server.start();
        log.info("http:" + apiName, "serving " + routes.stream().map(r -> r.routeKey() + " -> "
                + (r.function() == null ? "(not deployed)" : r.function().name())).toList() + " on " + baseUri());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("http:" + apiName, "request threads did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        List<String> parts = new ArrayList<>(List.of(trimmed.split("/", -1)));
        if (parts.size() == 1 && parts.getFirst().isEmpty()) {
            return List.of();
        }
        return parts;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            List<String> segments = segments(rawPath).stream().map(HttpApiServer::decode).toList();
            Optional<Map.Entry<HttpRoute, Map<String, String>>> match = routes.stream()
                    .map(r -> r.match(method, segments).map(p -> Map.entry(r, p)))
                    .flatMap(Optional::stream).findFirst();
            byte[] body = readBody(exchange.getRequestBody());
            if (match.isEmpty()) {
                send(exchange, 404, Map.of("content-type", List.of("application/json")), "{\"message\":\"Not Found\"}".getBytes());
                return;
            }
            if (body == null) {
                send(exchange, 413, Map.of("content-type", List.of("application/json")),
                        "{\"message\":\"Request Entity Too Large\"}".getBytes());
                return;
            }
            HttpRoute route = match.get().getKey();
            if (route.function() == null) {
                send(exchange, 503, Map.of("content-type", List.of("application/json")),
                        JSON.createObjectNode().put("message", route.unavailableReason()).toString()
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            APIGatewayV2HTTPEvent event = event(exchange, route, match.get().getValue(), body);
            if (event.getBody() != null && event.getBody().length() > MAX_PAYLOAD_BYTES) {
                send(exchange, 413, Map.of("content-type", List.of("application/json")),
                        "{\"message\":\"Request Entity Too Large\"}".getBytes());
                return;
            }
            InvocationResult result = route.function().invoke(event);
            respond(exchange, result, event.getRequestContext().getRequestId());
        } catch (RuntimeException e) {
            log.error("http:" + apiName, null, "request failed in the local HTTP API", e);
            send(exchange, 500, Map.of("content-type", List.of("application/json")),
                    "{\"message\":\"Internal Server Error\"}".getBytes());
        }
    }

    /** The body, or {@code null} when it exceeds the payload limit (the rest is drained). */
    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            if (total <= MAX_PAYLOAD_BYTES) {
                out.write(buffer, 0, n);
            }
        }
        return total > MAX_PAYLOAD_BYTES ? null : out.toByteArray();
    }

    private APIGatewayV2HTTPEvent event(HttpExchange exchange, HttpRoute route, Map<String, String> pathParameters,
                                        byte[] body) {
        Instant now = clock.instant();
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(v -> {
                    for (String cookie : v.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.trim());
                        }
                    }
                });
            } else {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
                query.merge(key, value, (a, b) -> a + "," + b);
            }
        }
        boolean text = isText(headers.get("content-type"));
        String requestId = UUID.randomUUID().toString();
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(exchange.getRequestMethod().toUpperCase(Locale.ROOT));
        http.setPath(exchange.getRequestURI().getPath());
        http.setProtocol(exchange.getProtocol());
        http.setSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress());
        http.setUserAgent(headers.get("user-agent"));
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setAccountId(FunctionIdentity.ACCOUNT);
        context.setApiId(apiName);
        context.setDomainName(headers.getOrDefault("host", baseUri().getAuthority()));
        context.setDomainPrefix(context.getDomainName().split("[.:]")[0]);
        context.setHttp(http);
        context.setRequestId(requestId);
        context.setRouteKey(route.routeKey());
        context.setStage("$default");
        context.setTime(REQUEST_TIME.format(now));
        context.setTimeEpoch(now.toEpochMilli());
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(route.routeKey());
        event.setRawPath(exchange.getRequestURI().getRawPath());
        event.setRawQueryString(rawQuery == null ? "" : rawQuery);
        event.setCookies(cookies.isEmpty() ? null : cookies);
        event.setHeaders(headers);
        event.setQueryStringParameters(query.isEmpty() ? null : query);
        event.setPathParameters(pathParameters.isEmpty() ? null : pathParameters);
        event.setRequestContext(context);
        if (body.length > 0) {
            event.setBody(text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            event.setIsBase64Encoded(!text);
        } else {
            event.setIsBase64Encoded(false);
        }
        return event;
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded");
    }

    private void respond(HttpExchange exchange, InvocationResult result, String apiRequestId) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("apigw-requestid", List.of(apiRequestId));
        switch (result) {
            case InvocationResult.Failure failure -> {
                headers.put("content-type", List.of("application/json"));
                send(exchange, 500, headers, "{\"message\":\"Internal Server Error\"}".getBytes());
            }
            case InvocationResult.Success success -> {
                JsonNode response = success.response() == null ? null : JSON.valueToTree(success.response());
                if (response == null || response.isNull()) {
                    send(exchange, 200, headers, new byte[0]);
                } else if (response.isObject() && response.has("statusCode")) {
                    structured(exchange, response, headers);
                } else {
                    headers.put("content-type", List.of("application/json"));
                    String body = response.isTextual() ? response.textValue() : response.toString();
                    send(exchange, 200, headers, body.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static void structured(HttpExchange exchange, JsonNode response, Map<String, List<String>> headers)
            throws IOException {
        int status = response.path("statusCode").asInt(200);
        response.path("headers").properties().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT),
                List.of(h.getValue().asText())));
        response.path("multiValueHeaders").properties().forEach(h -> {
            List<String> values = new ArrayList<>();
            h.getValue().forEach(v -> values.add(v.asText()));
            headers.put(h.getKey().toLowerCase(Locale.ROOT), values);
        });
        List<String> cookies = new ArrayList<>();
        response.path("cookies").forEach(c -> cookies.add(c.asText()));
        if (!cookies.isEmpty()) {
            headers.put("set-cookie", cookies);
        }
        JsonNode bodyNode = response.get("body");
        byte[] body = bodyNode == null || bodyNode.isNull() ? new byte[0]
                : response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(bodyNode.asText())
                : bodyNode.asText().getBytes(StandardCharsets.UTF_8);
        send(exchange, status == 0 ? 200 : status, headers, body);
    }

    private static void send(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        Headers out = exchange.getResponseHeaders();
        headers.forEach(out::put);
        boolean noBody = body.length == 0 || status == 204 || status == 304 || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(body);
            }
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String decodeQuery(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
