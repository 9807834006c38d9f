package dev.ben.sender.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A real HTTP receiver (JDK HttpServer on loopback) whose answer is chosen per request by a behaviour function
 * of (webhook-id, how many times this id was seen before). Records every request.
 */
public final class TestReceiver implements AutoCloseable {

    /** How to answer one request. */
    public sealed interface Reply {
        record Status(int code, Map<String, String> headers, String body, long delayMillis) implements Reply {
        }

        /** Close the connection without answering (a reset/abort as the sender sees it). */
        record Reset() implements Reply {
        }

        static Reply ok() {
            return new Status(200, Map.of(), "ok", 0);
        }

        static Reply status(int code) {
            return new Status(code, Map.of(), "", 0);
        }
    }

    /** One received request; {@code headers} with lower-case names (first value of each). */
    public record Received(String webhookId, String timestamp, String signature, String body, Instant at,
                           int seenBefore, Reply reply, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private volatile BiFunction<String, Integer, Reply> behaviour;

    private TestReceiver(BiFunction<String, Integer, Reply> behaviour) throws IOException {
        this.behaviour = behaviour;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static TestReceiver start(BiFunction<String, Integer, Reply> behaviour) {
        try {
            return new TestReceiver(behaviour);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public void behaviour(BiFunction<String, Integer, Reply> b) {
        this.behaviour = b;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String webhookId) {
        return received.stream().filter(r -> webhookId.equals(r.webhookId())).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = String.valueOf(ex.getRequestHeaders().getFirst("webhook-id"));
            int before = seen.computeIfAbsent(id, k -> new AtomicInteger()).getAndIncrement();
            Reply reply = behaviour.apply(id, before);
            Map<String, String> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
            received.add(new Received(id, ex.getRequestHeaders().getFirst("webhook-timestamp"),
                    ex.getRequestHeaders().getFirst("webhook-signature"), body, Instant.now(), before, reply,
                    Map.copyOf(headers)));
            switch (reply) {
                case Reply.Reset r -> {
                    // abort: close the socket without a response
                    ex.getResponseBody().close();
                    throw new IOException("reset by test receiver");
                }
                case Reply.Status s -> {
                    if (s.delayMillis() > 0) {
                        Thread.sleep(s.delayMillis());
                    }
                    s.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                    byte[] bytes = s.body().getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(s.code(), bytes.length == 0 ? -1 : bytes.length);
                    if (bytes.length > 0) {
                        try (OutputStream out = ex.getResponseBody()) {
                            out.write(bytes);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
