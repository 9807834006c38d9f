package dev.ben.cli.statuspage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ben.cli.internal.Output;
import dev.ben.cli.internal.api.ApiClient;
import dev.ben.cli.internal.api.ApiConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local status page: deliveries moving through their states, each delivery's retry timeline (its attempt
 * history) and endpoint health, refreshed every second. Plain HTML + JavaScript (no build step), served by the JDK's
 * HTTP server; the data comes from the management API (as the CLI reads it: {@code BEN_API_URL} and
 * {@code BEN_API_TOKEN}, else the running ./ben-local's).
 *
 * <pre>{@code
 * try (StatusPageServer page = StatusPageServer.start(Map.of("BEN_API_URL", apiUrl, "BEN_API_TOKEN", token), 8088)) {
 *     System.out.println("status page: " + page.uri());
 *     ...
 * }
 * }</pre>
 *
 * <p>Routes: {@code GET /} (the page, with the first snapshot embedded so it renders without a round trip),
 * {@code GET /api/snapshot} (JSON), {@code GET /api/deliveries/{id}} (one delivery with its timeline); the page
 * and the snapshot take {@code ?tenant=T} (that tenant's deliveries and endpoints; {@code -} = tenant-less ones).
 * Binds to loopback only: it is a development tool and has no authentication.
 */
public final class StatusPageServer implements AutoCloseable {

    private static final String RESOURCES = "/dev/ben/cli/statuspage/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final ApiClient api;
    private final Snapshots snapshots;

    private StatusPageServer(HttpServer server, ExecutorService executor, ApiClient api) {
        this.server = server;
        this.executor = executor;
        this.api = api;
        this.snapshots = new Snapshots(api, Clock.systemUTC());
    }

    /**
     * Starts the page on {@code 127.0.0.1:port} (0 = a free port).
     *
     * @param environment where the management API is and how to authenticate, as for the CLI
     *                    ({@code BEN_API_URL}, {@code BEN_API_TOKEN}, AWS credentials and region for SigV4)
     */
    /** Starts the page on {@code 127.0.0.1:port} reading the local management API at {@code api} with its token. */
    public static StatusPageServer start(URI api, String token, int port) {
        return start(Map.of(ApiConnection.URL, api.toString(), ApiConnection.TOKEN, token), port);
    }

    public static StatusPageServer start(Map<String, String> environment, int port) {
        return start(environment, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    public static StatusPageServer start(Map<String, String> environment, InetSocketAddress address) {
        ApiClient api = ApiConnection.open(environment);
        try {
            HttpServer server = HttpServer.create(address, 0);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            StatusPageServer page = new StatusPageServer(server, executor, api);
            server.createContext("/", page::handle);
            server.start();
            return page;
        } catch (IOException e) {
            api.close();
            throw new UncheckedIOException("cannot start the status page on " + address, e);
        }
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8088/}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        api.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                send(exchange, 405, "text/plain; charset=utf-8", "only GET\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            try {
                switch (path) {
                    case "/", "/index.html" -> send(exchange, 200, "text/html; charset=utf-8",
                            page(tenant(exchange)));
                    case "/app.js" -> send(exchange, 200, "text/javascript; charset=utf-8", resource("app.js"));
                    case "/style.css" -> send(exchange, 200, "text/css; charset=utf-8", resource("style.css"));
                    case "/api/snapshot" -> send(exchange, 200, "application/json",
                            Output.toJson(snapshots.snapshot(tenant(exchange))));
                    default -> {
                        if (path.startsWith("/api/deliveries/") && path.length() > "/api/deliveries/".length()) {
                            String id = path.substring("/api/deliveries/".length());
                            var found = snapshots.delivery(id);
                            if (found.isPresent()) {
                                send(exchange, 200, "application/json", Output.toJson(found.get()));
                            } else {
                                send(exchange, 404, "application/json", Output.toJson(Map.of("error", "no delivery " + id)));
                            }
                        } else {
                            send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
                        }
                    }
                }
            } catch (RuntimeException e) {
                send(exchange, 503, "application/json",
                        Output.toJson(Map.of("error", "cannot read the management API: " + e.getMessage())));
            }
        }
    }

    /**
     * The {@code tenant} query parameter: absent = every tenant, {@code -} = tenant-less deliveries and endpoints
     * only, anything else = that tenant's.
     */
    private static Optional<String> tenant(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("tenant=")) {
                String value = URLDecoder.decode(pair.substring("tenant=".length()), StandardCharsets.UTF_8).strip();
                return value.isEmpty() ? Optional.empty() : Optional.of(value.equals("-") ? "" : value);
            }
        }
        return Optional.empty();
    }

    private String page(Optional<String> tenant) {
        // '<' escaped so no string in the data can close the script element
        String data = Output.toJson(snapshots.snapshot(tenant)).replace("<", "\\u003c");
        return resource("index.html").replace("<!--SNAPSHOT-->",
                "<script id=\"snapshot\" type=\"application/json\">" + data + "</script>");
    }

    private static String resource(String name) {
        try (InputStream in = StatusPageServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
