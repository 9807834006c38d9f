package dev.ben.reconcile;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server playing A's status API with a fixed latency per request (a virtual thread sleeps, so many
 * requests wait at once as behind a slow API). Records the entity ids asked for, in order of arrival. The answer per
 * entity comes from {@code answer}: the JSON body, or {@code null} for 404.
 */
final class DelayingStatusApiServer implements AutoCloseable {

    static final String TOKEN = "progress-token";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Duration latency;
    private final Function<String, String> answer;
    final List<String> asked = new CopyOnWriteArrayList<>();

    DelayingStatusApiServer(Duration latency, Function<String, String> answer) throws IOException {
        this.latency = latency;
        this.answer = answer;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        server.setExecutor(threads);
        server.createContext("/entities/", this::serve);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String entityId = URLDecoder.decode(path.substring("/entities/".length(), path.length() - "/events".length()),
                    StandardCharsets.UTF_8);
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"error\":\"missing or invalid token\"}");
                return;
            }
            asked.add(entityId);
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String body = answer.apply(entityId);
            send(exchange, body == null ? 404 : 200, body == null ? "{\"error\":\"no events\"}" : body);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** One event of {@code entityId} at {@code version}, in the status API's shape. */
    static String oneEvent(String entityId, long version) {
        String eventId = "evt_" + entityId.replaceAll("[^A-Za-z0-9]", "_") + "_v" + version;
        return "{\"entityId\":\"" + entityId + "\",\"events\":[{\"eventId\":\"" + eventId + "\",\"type\":\"x.changed\","
                + "\"entityId\":\"" + entityId + "\",\"version\":" + version + ",\"createdAt\":\"2026-12-01T10:00:00Z\","
                + "\"payload\":{\"type\":\"x.changed\",\"id\":\"" + eventId + "\",\"entityId\":\"" + entityId
                + "\",\"version\":" + version + ",\"data\":{\"v\":" + version + "}}}]}";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
