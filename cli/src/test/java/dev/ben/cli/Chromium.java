package dev.ben.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Headless Chromium (Debian's {@code chromium} package) for the status page tests. */
final class Chromium {

    private Chromium() {
    }

    /** The binary: {@code BEN_CHROMIUM}, else chromium / chromium-browser / google-chrome on the PATH. */
    static Optional<Path> binary() {
        String configured = System.getenv("BEN_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> baseCommand(Path binary, Path profile) {
        return new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
    }

    /** The DOM after the page's load event (synchronous scripts have run). */
    static String dumpDom(Path binary, URI url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("ben-chromium-");
        try {
            List<String> command = baseCommand(binary, profile);
            command.add("--dump-dom");
            command.add(url.toString());
            Path out = profile.resolve("dom.html");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(profile.resolve("stderr.txt").toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium --dump-dom did not finish in 90 s");
            }
            String dom = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || dom.isBlank()) {
                throw new IllegalStateException("chromium exited " + p.exitValue() + ": "
                        + Files.readString(profile.resolve("stderr.txt")));
            }
            return dom;
        } finally {
            deleteTree(profile);
        }
    }

    /** A page driven through the DevTools protocol (to watch it update over time). */
    static final class Page implements AutoCloseable {
        private final Process process;
        private final Path profile;
        private final WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

        private Page(Process process, Path profile, WebSocket socket) {
            this.process = process;
            this.profile = profile;
            this.socket = socket;
        }

        static Page open(Path binary, URI url) throws Exception {
            Path profile = Files.createTempDirectory("ben-chromium-");
            List<String> command = baseCommand(binary, profile);
            command.add("--remote-debugging-port=0");
            command.add(url.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(profile.resolve("log.txt").toFile()).start();
            try {
                Path portFile = profile.resolve("DevToolsActivePort");
                Instant deadline = Instant.now().plusSeconds(60);
                while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
                    if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                        throw new IllegalStateException("chromium did not open its DevTools port: "
                                + Files.readString(profile.resolve("log.txt")));
                    }
                    Thread.sleep(100);
                }
                int port = Integer.parseInt(Files.readAllLines(portFile).getFirst().trim());
                HttpClient http = HttpClient.newHttpClient();
                String wsUrl = null;
                while (wsUrl == null) {
                    String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                            .build(), HttpResponse.BodyHandlers.ofString()).body();
                    for (JsonNode target : CliHarness.JSON.readTree(list)) {
                        if (target.path("type").asText().equals("page")
                                && target.path("url").asText().startsWith(url.toString())) {
                            wsUrl = target.path("webSocketDebuggerUrl").asText();
                        }
                    }
                    if (wsUrl == null) {
                        if (Instant.now().isAfter(deadline)) {
                            throw new IllegalStateException("no page target for " + url + " in " + list);
                        }
                        Thread.sleep(100);
                    }
                }
                Page[] self = new Page[1];
                WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            self[0].onMessage(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
                self[0] = new Page(process, profile, socket);
                return self[0];
            } catch (Exception e) {
                process.destroyForcibly();
                deleteTree(profile);
                throw e;
            }
        }

        private void onMessage(String message) {
            try {
                JsonNode node = CliHarness.JSON.readTree(message);
                if (node.has("id")) {
                    CompletableFuture<JsonNode> f = pending.remove(node.get("id").asInt());
                    if (f != null) {
                        f.complete(node);
                    }
                }
            } catch (IOException e) {
                // not a reply we wait for
            }
        }

        /** Evaluates a JavaScript expression in the page and returns its value as a string ("" for null). */
        String evaluate(String expression) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            pending.put(id, reply);
            String request = CliHarness.JSON.writeValueAsString(Map.of("id", id, "method", "Runtime.evaluate",
                    "params", Map.of("expression", expression, "returnByValue", true)));
            socket.sendText(request, true).get(10, TimeUnit.SECONDS);
            JsonNode result = reply.get(30, TimeUnit.SECONDS).path("result").path("result");
            JsonNode value = result.path("value");
            return value.isMissingNode() || value.isNull() ? "" : value.asText();
        }

        /** Polls {@code expression} until it equals {@code expected}; returns the last value seen. */
        String await(String expression, String expected, Duration limit) throws Exception {
            Instant deadline = Instant.now().plus(limit);
            String value = evaluate(expression);
            while (!value.equals(expected) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                value = evaluate(expression);
            }
            return value;
        }

        @Override
        public void close() {
            socket.abort();
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory
        }
    }
}
