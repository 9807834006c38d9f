package dev.ben.examples.orders.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * System A's status API as a real HTTP server with real JSON, following the sender's contract (docs/sender.md):
 * {@code GET /entities/{orderId}/events} → 200 {entityId, events: [latest first: {eventId, type, version,
 * sequence, createdAt, payload, deliveries}]}; 404 {error} when A has no event of the order (an order A knows as
 * PENDING emitted none), 400 for malformed ids, 401 without the right bearer token. Used when the sender's status
 * API is not wired in. It can be stopped and started again on the same port to simulate an outage.
 */
public final class FakeStatusApiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A's answers: orderId → the events answer of the order (absent: no events yet). */
    public final Map<String, Map<String, Object>> orders = new ConcurrentHashMap<>();
    public final AtomicInteger requests = new AtomicInteger();
    /** Orders asked about, in order of arrival. */
    public final java.util.List<String> asked = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final String token;
    private int port;
    private HttpServer server;

    public FakeStatusApiServer(String token) throws IOException {
        this.token = token;
        start();
    }

    /** A's order in this state: PENDING = no event yet; any other status = one event carrying it. */
    public void put(String orderId, String status, long version, String updatedAt) {
        if ("PENDING".equals(status)) {
            orders.remove(orderId);
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", orderId);
        data.put("status", status);
        data.put("version", version);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "order.paid");
        payload.put("id", "evt_" + orderId);
        payload.put("timestamp", updatedAt);
        payload.put("entityId", orderId);
        payload.put("version", version);
        payload.put("sequence", "100000000000000000001");
        payload.put("data", data);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", "evt_" + orderId);
        event.put("type", "order.paid");
        event.put("entityId", orderId);
        event.put("version", version);
        event.put("sequence", "100000000000000000001");
        event.put("createdAt", updatedAt);
        event.put("payload", payload);
        event.put("deliveries", List.of(Map.of("deliveryId", "dlv_" + orderId, "endpointId", "ep_b",
                "status", "FAILED", "attempts", 15)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("entityId", orderId);
        answer.put("events", List.of(event));
        orders.put(orderId, answer);
    }

    /** The exact body A would POST for the order's event (what the status API lists as its payload). */
    @SuppressWarnings("unchecked")
    public String payloadJson(String orderId) throws IOException {
        Map<String, Object> event = ((List<Map<String, Object>>) orders.get(orderId).get("events")).getFirst();
        return JSON.writeValueAsString(event.get("payload"));
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/entities/", this::serve);
        server.start();
        port = server.getAddress().getPort();
    }

    public synchronized void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8),
                    ("Bearer " + token).getBytes(StandardCharsets.UTF_8))) {
                respond(exchange, 401, Map.of("error", "missing or wrong bearer token"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String id = path.endsWith("/events")
                    ? path.substring("/entities/".length(), path.length() - "/events".length()) : "";
            asked.add(id);
            if (!"GET".equals(exchange.getRequestMethod()) || id.isEmpty() || !id.matches("[A-Za-z0-9_.:-]{1,128}")) {
                respond(exchange, 400, Map.of("error", "malformed entity id"));
                return;
            }
            Map<String, Object> order = orders.get(id);
            if (order == null) {
                respond(exchange, 404, Map.of("error", "no events of entity " + id));
                return;
            }
            respond(exchange, 200, order);
        }
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] out = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().put("content-type", List.of("application/json"));
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
