package dev.ben.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ben.core.delivery.DeliveryPolicy;
import dev.ben.core.delivery.DeliveryResult;
import dev.ben.core.delivery.Transition;
import dev.ben.core.egress.AddressPolicy;
import dev.ben.core.egress.EgressGuard;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Event;
import dev.ben.core.retry.Jitter;
import dev.ben.core.webhooks.VerificationResult;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.core.webhooks.WebhookVerifier;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real loopback servers (JDK HttpServer and raw sockets) against the real sender. */
class HttpWebhookSenderIT {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Signer SIGNER = (id, ts, body) -> Map.of("webhook-id", id,
            "webhook-timestamp", Long.toString(ts), "webhook-signature", "v1,dGVzdA==");
    private static final SenderConfig FAST = SenderConfig.defaults()
            .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(1500));

    private HttpServer http;
    private final List<HttpExchangeRecord> received = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> closeables = new ArrayList<>();

    record HttpExchangeRecord(String method, String path, Map<String, List<String>> headers, String body) {
    }

    @BeforeEach
    void startServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop(0);
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private String route(String path, int status, Map<String, String> headers, byte[] body) {
        http.createContext(path, ex -> {
            record(ex);
            headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            if (body.length == 0) {
                ex.sendResponseHeaders(status, -1);
            } else {
                ex.sendResponseHeaders(status, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        });
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    private void record(HttpExchange ex) throws IOException {
        received.add(new HttpExchangeRecord(ex.getRequestMethod(), ex.getRequestURI().toString(),
                Map.copyOf(ex.getRequestHeaders()), new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    }

    private HttpWebhookSender sender(AddressPolicy policy, SenderConfig config) {
        HttpWebhookSender s = new HttpWebhookSender(new EgressGuard(policy), config, CLOCK);
        closeables.add(s);
        return s;
    }

    private HttpWebhookSender localSender() {
        return sender(AddressPolicy.localDevelopment(), FAST);
    }

    private static WebhookRequest post(String url) {
        return new WebhookRequest(url, "evt_abc", "{\"type\":\"order.paid\",\"data\":{\"orderId\":\"o-1\"}}", SIGNER);
    }

    @Test
    void send_2xx_deliversSignedBodyWithHostHeader() {
        String url = route("/hooks/orders", 204, Map.of(), new byte[0]);

        HttpOutcome outcome = localSender().send(post(url + "?tenant=7"));

        assertThat(outcome.successful()).isTrue();
        assertThat(outcome.statusCode()).isEqualTo(204);
        assertThat(received).hasSize(1);
        HttpExchangeRecord r = received.get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/hooks/orders?tenant=7");
        assertThat(r.body()).isEqualTo("{\"type\":\"order.paid\",\"data\":{\"orderId\":\"o-1\"}}");
        assertThat(r.headers().get("Webhook-id")).containsExactly("evt_abc");
        assertThat(r.headers().get("Webhook-timestamp")).containsExactly(Long.toString(NOW.getEpochSecond()));
        assertThat(r.headers().get("Webhook-signature")).containsExactly("v1,dGVzdA==");
        assertThat(r.headers().get("Content-type")).containsExactly("application/json");
        assertThat(r.headers().get("Host")).containsExactly("127.0.0.1:" + http.getAddress().getPort());
    }

    @Test
    void send_addsTheEndpointsCustomHeaders_butNeverOneBenSets() {
        String url = route("/custom", 200, Map.of(), new byte[0]);
        Map<String, String> custom = new LinkedHashMap<>();
        custom.put("X-Partner", "acme");
        custom.put("Authorization", "Bearer receiver-token");
        custom.put("webhook-id", "forged");
        custom.put("Webhook-Signature", "v1,forged");
        custom.put("Content-Type", "text/plain");
        custom.put("Host", "evil.example");
        custom.put("X-Injected", "a\r\nX-Evil: 1");

        HttpOutcome outcome = localSender().send(post(url).withHeaders(custom));

        assertThat(outcome.statusCode()).isEqualTo(200);
        HttpExchangeRecord r = received.get(0);
        assertThat(r.headers().get("X-partner")).containsExactly("acme");
        assertThat(r.headers().get("Authorization")).containsExactly("Bearer receiver-token");
        assertThat(r.headers().get("Webhook-id")).containsExactly("evt_abc");
        assertThat(r.headers().get("Webhook-signature")).containsExactly("v1,dGVzdA==");
        assertThat(r.headers().get("Content-type")).containsExactly("application/json");
        assertThat(r.headers().get("Host")).containsExactly("127.0.0.1:" + http.getAddress().getPort());
        assertThat(r.headers()).doesNotContainKeys("X-injected", "X-evil");
    }

    @Test
    void send_withStandardWebhooksSigner_verifiesAtTheReceiverDuringRotation() {
        String url = route("/signed", 200, Map.of(), new byte[0]);
        WebhookSecret oldSecret = WebhookSecret.generate();
        WebhookSecret newSecret = WebhookSecret.generate();
        WebhookSigner signer = WebhookSigner.of(List.of(oldSecret, newSecret));
        Signer standard = (id, ts, body) -> signer.sign(id, Instant.ofEpochSecond(ts),
                body.getBytes(StandardCharsets.UTF_8)).asMap();
        String body = "{\"type\":\"order.paid\",\"note\":\"ünïcødé ✓\"}";

        HttpOutcome outcome = localSender().send(new WebhookRequest(url, "evt_signed", body, standard));

        assertThat(outcome.statusCode()).isEqualTo(200);
        HttpExchangeRecord r = received.get(0);
        Map<String, String> headers = Map.of(
                "webhook-id", r.headers().get("Webhook-id").get(0),
                "webhook-timestamp", r.headers().get("Webhook-timestamp").get(0),
                "webhook-signature", r.headers().get("Webhook-signature").get(0));
        assertThat(headers.get("webhook-signature").split(" ")).hasSize(2);
        WebhookVerifier onlyNew = WebhookVerifier.builder().secrets(List.of(newSecret)).clock(CLOCK).build();
        WebhookVerifier onlyOld = WebhookVerifier.builder().secrets(List.of(oldSecret)).clock(CLOCK).build();
        assertThat(onlyNew.verify(headers, r.body())).isInstanceOf(VerificationResult.Verified.class);
        assertThat(onlyOld.verify(headers, r.body())).isInstanceOf(VerificationResult.Verified.class);
        assertThat(onlyNew.verify(headers, r.body() + " ")).isInstanceOf(VerificationResult.Rejected.class);
    }

    @Test
    void send_toLoopback_withoutAllowPrivate_isBlockedAndNothingIsSent() {
        String url = route("/hook", 200, Map.of(), new byte[0]);

        HttpOutcome outcome = sender(AddressPolicy.strict(), FAST).send(post(url));

        assertThat(outcome.errorKind()).isEqualTo(ErrorKind.BLOCKED_ADDRESS);
        assertThat(outcome.errorDetail()).contains("127.0.0.1").contains("loopback");
        assertThat(received).isEmpty();
    }

    @Test
    void send_localhostName_resolvedOnceAndConnectedByValidatedAddress() {
        String url = route("/hook", 200, Map.of(), new byte[0]).replace("127.0.0.1", "receiver.test");
        AtomicInteger lookups = new AtomicInteger();
        EgressGuard guard = new EgressGuard(AddressPolicy.localDevelopment(), host -> {
            lookups.incrementAndGet();
            return List.of(InetAddress.getLoopbackAddress());
        });
        HttpWebhookSender s = new HttpWebhookSender(guard, FAST, CLOCK);
        closeables.add(s);

        HttpOutcome outcome = s.send(post(url));

        assertThat(outcome.statusCode()).isEqualTo(200);
        assertThat(lookups).hasValue(1);
        assertThat(received.get(0).headers().get("Host")).containsExactly("receiver.test:" + http.getAddress().getPort());
    }

    @Test
    void send_dnsRebinding_laterAnswerPointingToLoopbackIsNeverUsed() {
        String loopbackUrl = route("/hook", 200, Map.of(), new byte[0]);
        int port = http.getAddress().getPort();
        AtomicInteger lookups = new AtomicInteger();
        // First answer: a public (documentation, unroutable) address; any later answer: the loopback receiver.
        EgressGuard guard = new EgressGuard(AddressPolicy.strict(), host -> List.of(lookups.getAndIncrement() == 0
                ? InetAddress.getByName("192.0.2.10") : InetAddress.getLoopbackAddress()));
        HttpWebhookSender s = new HttpWebhookSender(guard,
                SenderConfig.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofMillis(800)), CLOCK);
        closeables.add(s);

        HttpOutcome outcome = s.send(post("http://rebind.test:" + port + "/hook"));

        assertThat(outcome.hasResponse()).as(outcome.summary()).isFalse();
        assertThat(lookups).hasValue(1);
        assertThat(received).as("the loopback receiver at " + loopbackUrl + " was never reached").isEmpty();
    }

    @Test
    void send_neverThrows_whenSignerOrResolverFail() {
        String url = route("/hook", 200, Map.of(), new byte[0]);
        Signer broken = (id, ts, body) -> {
            throw new IllegalStateException("no key");
        };
        Signer injecting = (id, ts, body) -> Map.of("webhook-id", id + "\r\nX-Evil: 1");
        HttpWebhookSender resolverFails = new HttpWebhookSender(new EgressGuard(AddressPolicy.localDevelopment(),
                host -> {
                    throw new SecurityException("resolution forbidden");
                }), FAST, CLOCK);
        closeables.add(resolverFails);

        HttpOutcome signerFailed = localSender().send(new WebhookRequest(url, "evt_1", "{}", broken));
        HttpOutcome headerInjection = localSender().send(new WebhookRequest(url, "evt_1", "{}", injecting));
        HttpOutcome resolverFailed = resolverFails.send(post(url.replace("127.0.0.1", "receiver.test")));

        assertThat(signerFailed.errorKind()).isEqualTo(ErrorKind.IO);
        assertThat(signerFailed.errorDetail()).contains("no key");
        assertThat(headerInjection.errorKind()).isEqualTo(ErrorKind.IO);
        assertThat(headerInjection.errorDetail()).contains("line break");
        assertThat(resolverFailed.errorKind()).isEqualTo(ErrorKind.IO);
        assertThat(received).isEmpty();
    }

    @Test
    void send_503WithRetryAfter_reportsHeaderAndPolicyHonoursIt() {
        String url = route("/busy", 503, Map.of("Retry-After", "42"), "busy".getBytes(StandardCharsets.UTF_8));

        HttpOutcome outcome = localSender().send(post(url));

        assertThat(outcome.statusCode()).isEqualTo(503);
        assertThat(outcome.retryAfter()).isEqualTo("42");
        assertThat(outcome.bodySnippet()).isEqualTo("busy");
        Transition t = policy().next(pending(), endpoint(url), outcome, NOW);
        assertThat(t.result()).isInstanceOfSatisfying(DeliveryResult.Retry.class,
                r -> assertThat(r.after()).isEqualTo(Duration.ofSeconds(42)));
    }

    @Test
    void send_429WithHttpDateRetryAfter_isHonoured() {
        String url = route("/limited", 429, Map.of("Retry-After", "Sun, 29 Nov 2026 12:10:00 GMT"), new byte[0]);

        HttpOutcome outcome = localSender().send(post(url));

        Transition t = policy().next(pending(), endpoint(url), outcome, NOW);
        assertThat(t.result()).isInstanceOfSatisfying(DeliveryResult.Retry.class,
                r -> assertThat(r.after()).isEqualTo(Duration.ofMinutes(10)));
    }

    @Test
    void send_410_isGoneAndDisablesEndpoint() {
        String url = route("/gone", 410, Map.of(), new byte[0]);

        HttpOutcome outcome = localSender().send(post(url));

        Transition t = policy().next(pending(), endpoint(url), outcome, NOW);
        assertThat(outcome.statusCode()).isEqualTo(410);
        assertThat(t.result()).isInstanceOf(DeliveryResult.Gone.class);
        assertThat(t.endpointUpdate()).isInstanceOf(dev.ben.core.delivery.EndpointUpdate.Disable.class);
    }

    @Test
    void send_redirectToLoopback_isNeverFollowed() throws IOException {
        AtomicInteger targetHits = new AtomicInteger();
        try (RawServer target = new RawServer((s, in, out) -> {
            targetHits.incrementAndGet();
            RawServer.readRequest(in);
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        })) {
            String url = route("/redirect", 302, Map.of("Location", target.url()), new byte[0]);

            HttpOutcome outcome = localSender().send(post(url));

            assertThat(outcome.statusCode()).isEqualTo(302);
            assertThat(outcome.location()).isEqualTo(target.url());
            assertThat(outcome.successful()).isFalse();
            assertThat(targetHits).hasValue(0);
            assertThat(target.accepted).hasValue(0);
            Transition t = policy().next(pending(), endpoint(url), outcome, NOW);
            assertThat(t.delivery().lastError()).contains("redirect not followed").contains(target.url());
            // and were it followed, the strict guard refuses the hop:
            assertThat(new EgressGuard(AddressPolicy.strict()).policy().refusal(InetAddress.getLoopbackAddress()))
                    .isPresent();
        }
    }

    @Test
    void send_serverNeverAnswers_timesOutAtDeadline() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        try (RawServer silent = new RawServer((s, in, out) -> {
            RawServer.readRequest(in);
            release.await(30, TimeUnit.SECONDS);
        })) {
            HttpOutcome outcome = localSender().send(post(silent.url()));

            assertThat(outcome.errorKind()).isEqualTo(ErrorKind.TIMEOUT);
            assertThat(outcome.errorDetail()).contains("1500 ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void send_cutOffWhileTheServerIsSilent_endsAtOnceWithTheReason() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch requested = new CountDownLatch(1);
        try (RawServer silent = new RawServer((s, in, out) -> {
            RawServer.readRequest(in);
            requested.countDown();
            release.await(30, TimeUnit.SECONDS);
        })) {
            CutOff cutOff = new CutOff();
            Thread.ofVirtual().start(() -> {
                try {
                    requested.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                cutOff.cut("the batch was done");
            });
            long start = System.nanoTime();

            HttpOutcome outcome = localSender().send(post(silent.url()), cutOff);

            assertThat(outcome.errorKind()).isEqualTo(ErrorKind.CUT_OFF);
            assertThat(outcome.errorDetail()).startsWith("cut off after").endsWith("the batch was done");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1400));
        } finally {
            release.countDown();
        }
    }

    @Test
    void send_cutOffBeforeItStarts_connectsNowhere() throws IOException {
        AtomicInteger connections = new AtomicInteger();
        try (RawServer server = new RawServer((s, in, out) -> connections.incrementAndGet())) {
            CutOff cutOff = new CutOff();
            cutOff.cut("not needed any more");

            HttpOutcome outcome = localSender().send(post(server.url()), cutOff);

            assertThat(outcome.errorKind()).isEqualTo(ErrorKind.CUT_OFF);
            assertThat(connections).hasValue(0);
        }
    }

    @Test
    void send_serverNeverReadsHugeRequest_deadlineStillHolds() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        try (RawServer stalled = new RawServer((s, in, out) -> release.await(30, TimeUnit.SECONDS))) {
            String big = "{\"pad\":\"" + "x".repeat(8 * 1024 * 1024) + "\"}";

            HttpOutcome outcome = localSender().send(new WebhookRequest(stalled.url(), "evt_big", big, SIGNER));

            assertThat(outcome.errorKind()).isEqualTo(ErrorKind.TIMEOUT);
            assertThat(outcome.errorDetail()).contains("write");
        } finally {
            release.countDown();
        }
    }

    @Test
    void send_connectionReset_isReported() throws IOException {
        try (RawServer resetting = new RawServer((s, in, out) -> {
            RawServer.readRequest(in);
            s.setSoLinger(true, 0); // close with RST
        })) {
            HttpOutcome outcome = localSender().send(post(resetting.url()));

            assertThat(outcome.errorKind()).isEqualTo(ErrorKind.CONNECTION_RESET);
        }
    }

    @Test
    void send_peerClosesWithoutResponse_isConnectionReset() throws IOException {
        try (RawServer closing = new RawServer((s, in, out) -> RawServer.readRequest(in))) {
            HttpOutcome outcome = localSender().send(post(closing.url()));

            assertThat(outcome.errorKind()).isEqualTo(ErrorKind.CONNECTION_RESET);
            assertThat(outcome.errorDetail()).contains("closed");
        }
    }

    @Test
    void send_nothingListening_isConnectionRefused() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }

        HttpOutcome outcome = localSender().send(post("http://127.0.0.1:" + port + "/hook"));

        assertThat(outcome.errorKind()).isEqualTo(ErrorKind.CONNECTION_REFUSED);
    }

    @Test
    void send_garbageResponse_isProtocolError() throws IOException {
        try (RawServer garbage = new RawServer((s, in, out) -> {
            RawServer.readRequest(in);
            out.write("SSH-2.0-OpenSSH_9.6\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        })) {
            HttpOutcome outcome = localSender().send(post(garbage.url()));

            assertThat(outcome.errorKind()).isEqualTo(ErrorKind.PROTOCOL);
        }
    }

    @Test
    void send_endlessHeaders_areCappedAsProtocolError() throws IOException {
        try (RawServer endless = new RawServer((s, in, out) -> {
            RawServer.readRequest(in);
            out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] header = ("X-Pad: " + "p".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 10_000; i++) {
                out.write(header);
            }
        })) {
            HttpOutcome outcome = localSender().send(post(endless.url()));

            assertThat(outcome.errorKind()).isEqualTo(ErrorKind.PROTOCOL);
            assertThat(outcome.errorDetail()).contains("headers larger than");
        }
    }

    @Test
    void send_hugeBody_readsOnlyTheCapAndClosesConnection() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicReference<Boolean> writeFailed = new AtomicReference<>(false);
        CountDownLatch serverDone = new CountDownLatch(1);
        try (RawServer huge = new RawServer((s, in, out) -> {
            RawServer.readRequest(in);
            long total = 512L * 1024 * 1024;
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + total + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            try {
                while (written.get() < total) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                writeFailed.set(true);
            } finally {
                serverDone.countDown();
            }
        })) {
            HttpOutcome outcome = sender(AddressPolicy.localDevelopment(), FAST.withMaxBodyBytes(64 * 1024))
                    .send(post(huge.url()));

            assertThat(outcome.statusCode()).isEqualTo(200);
            assertThat(outcome.successful()).isTrue();
            assertThat(outcome.bodyTruncated()).isTrue();
            assertThat(outcome.bodySnippet()).hasSize(1024).matches("a+");
            assertThat(serverDone.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(writeFailed.get()).as("server saw the connection closed").isTrue();
            assertThat(written.get()).as("bytes the server managed to push").isLessThan(64L * 1024 * 1024);
        }
    }

    @Test
    void send_slowDripBody_returnsAtDeadlineWithStatus() throws IOException {
        try (RawServer drip = new RawServer((s, in, out) -> {
            RawServer.readRequest(in);
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 1000; i++) {
                Thread.sleep(50); // test server only: a receiver dribbling its body
                out.write('.');
                out.flush();
            }
        })) {
            HttpOutcome outcome = localSender().send(post(drip.url()));

            assertThat(outcome.statusCode()).isEqualTo(200);
            assertThat(outcome.bodyTruncated()).isTrue();
            assertThat(outcome.bodySnippet()).startsWith("ok");
        }
    }

    @Test
    void send_interim100ThenChunked_readsFinalResponse() throws IOException {
        try (RawServer chunked = new RawServer((s, in, out) -> {
            RawServer.readRequest(in);
            out.write(("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        })) {
            HttpOutcome outcome = localSender().send(post(chunked.url()));

            assertThat(outcome.statusCode()).isEqualTo(202);
            assertThat(outcome.bodySnippet()).isEqualTo("hello world");
            assertThat(outcome.bodyTruncated()).isFalse();
        }
    }

    @Test
    void sendAll_runsInParallelWithinTheConcurrencyBound_andKeepsOrder() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Map<String, Integer> statusByPath = new ConcurrentHashMap<>();
        http.createContext("/slow", ex -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(100); // test receiver with 100 ms latency
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            int status = ex.getRequestURI().getQuery().endsWith("7") ? 500 : 200;
            statusByPath.put(ex.getRequestURI().getQuery(), status);
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        String base = "http://127.0.0.1:" + http.getAddress().getPort() + "/slow?n=";
        List<WebhookRequest> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(post(base + i));
        }
        HttpWebhookSender s = sender(AddressPolicy.localDevelopment(),
                FAST.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)).withMaxConcurrency(8));

        List<HttpOutcome> outcomes = s.sendAll(requests);

        assertThat(outcomes).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(outcomes.get(i).statusCode()).as("request " + i).isEqualTo(i % 10 == 7 ? 500 : 200);
        }
        assertThat(maxInFlight.get()).isGreaterThan(1).isLessThanOrEqualTo(8);
    }

    @Test
    void send_requestHead_namesTheSender_acceptsAnyType_andClosesTheConnection() {
        String url = route("/head", 204, Map.of(), new byte[0]);
        WebhookRequest request = post(url);

        localSender().send(request);

        HttpExchangeRecord r = received.getFirst();
        assertThat(r.headers().get("User-agent")).containsExactly(FAST.userAgent());
        assertThat(r.headers().get("Accept")).containsExactly("*/*");
        assertThat(r.headers().get("Connection")).containsExactly("close");
        assertThat(r.headers().get("Content-length"))
                .containsExactly(Integer.toString(request.body().getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void send_responseBody_isKeptUpToTheSnippetLength() {
        SenderConfig tenChars = new SenderConfig(FAST.connectTimeout(), FAST.requestTimeout(), FAST.maxBodyBytes(), 10,
                FAST.maxConcurrency(), FAST.userAgent());
        String exact = route("/exact", 500, Map.of(), "0123456789".getBytes(StandardCharsets.UTF_8));
        String longer = route("/longer", 500, Map.of(), "0123456789abc".getBytes(StandardCharsets.UTF_8));
        HttpWebhookSender s = sender(AddressPolicy.localDevelopment(), tenChars);

        HttpOutcome whole = s.send(post(exact));
        HttpOutcome cut = s.send(post(longer));

        assertThat(whole.bodySnippet()).isEqualTo("0123456789");
        assertThat(cut.bodySnippet()).isEqualTo("0123456789");
    }

    @Test
    void sendAll_ofNoRequest_sendsNothing_ofOne_sendsIt() {
        String url = route("/one", 204, Map.of(), new byte[0]);
        HttpWebhookSender s = localSender();

        List<HttpOutcome> none = s.sendAll(List.of());
        List<HttpOutcome> one = s.sendAll(List.of(post(url)));

        assertThat(none).isEmpty();
        assertThat(one).singleElement().extracting(HttpOutcome::statusCode).isEqualTo(204);
        assertThat(received).hasSize(1);
    }

    @Test
    void config_isTheOneTheSenderWasBuiltWith() {
        assertThat(sender(AddressPolicy.localDevelopment(), FAST).config()).isSameAs(FAST);
    }

    @Test
    void send_fromAnInterruptedThread_sendsNothing_andKeepsTheInterrupt() {
        String url = route("/interrupted", 204, Map.of(), new byte[0]);
        HttpWebhookSender s = localSender();

        Thread.currentThread().interrupt();
        HttpOutcome outcome;
        boolean stillInterrupted;
        try {
            outcome = s.send(post(url));
        } finally {
            stillInterrupted = Thread.interrupted();
        }

        assertThat(stillInterrupted).isTrue();
        assertThat(outcome.errorKind()).isEqualTo(ErrorKind.IO);
        assertThat(outcome.errorDetail()).isEqualTo("interrupted while waiting for a connection slot");
        assertThat(received).isEmpty();
    }

    @Test
    void send_latency_isPartOfTheCallsOwnDuration() throws IOException {
        String url = route("/timed", 204, Map.of(), new byte[0]);
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        HttpWebhookSender s = localSender();

        long start = System.nanoTime();
        HttpOutcome answered = s.send(post(url));
        Duration answeredCall = Duration.ofNanos(System.nanoTime() - start);
        start = System.nanoTime();
        HttpOutcome refused = s.send(post("http://127.0.0.1:" + closedPort + "/hook"));
        Duration refusedCall = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answered.latency()).isPositive().isLessThanOrEqualTo(answeredCall);
        assertThat(refused.latency()).isPositive().isLessThanOrEqualTo(refusedCall);
    }

    /**
     * A listener whose accept queue is full: the kernel ignores further connection attempts, so the connect can only
     * end by the sender's connect timeout. Where the OS refuses instead, there is nothing to time out: skipped.
     */
    @Test
    void send_noConnectionWithinTheConnectTimeout_isAConnectTimeout() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, loopback)) {
            boolean ignored = false;
            for (int i = 0; i < 16 && !ignored; i++) {
                Socket filler = new Socket();
                try {
                    filler.connect(new InetSocketAddress(loopback, full.getLocalPort()), 200);
                    fillers.add(filler);
                } catch (SocketTimeoutException e) {
                    filler.close();
                    ignored = true;
                }
            }
            Assumptions.assumeTrue(ignored,
                    "this OS refuses connections beyond a full accept queue instead of ignoring them");
            HttpWebhookSender s = sender(AddressPolicy.localDevelopment(),
                    FAST.withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5)));

            HttpOutcome outcome = s.send(post("http://127.0.0.1:" + full.getLocalPort() + "/hook"));

            assertThat(outcome.errorKind()).isEqualTo(ErrorKind.CONNECT_TIMEOUT);
            assertThat(outcome.errorDetail()).isEqualTo("no connection within 300 ms");
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }

    @Test
    void send_httpsToAServerThatNeverAnswersTheHandshake_timesOutDuringTls() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        try (RawServer mute = new RawServer((sock, in, out) -> release.await(30, TimeUnit.SECONDS))) {
            HttpOutcome outcome = localSender().send(post("https://127.0.0.1:" + mute.port() + "/hook"));

            assertThat(outcome.errorKind()).isEqualTo(ErrorKind.TIMEOUT);
            assertThat(outcome.errorDetail()).isEqualTo("no response within 1500 ms (during tls)");
        } finally {
            release.countDown();
        }
    }

    @Test
    void sendAll_fromAnInterruptedThread_reportsTheAttemptsItDidNotWaitFor() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        try (RawServer slow = new RawServer((sock, in, out) -> {
            RawServer.readRequest(in);
            release.await(30, TimeUnit.SECONDS);
        })) {
            HttpWebhookSender s = localSender();
            List<WebhookRequest> two = List.of(post(slow.url()), post(slow.url()));

            Thread.currentThread().interrupt();
            List<HttpOutcome> outcomes;
            boolean stillInterrupted;
            try {
                outcomes = s.sendAll(two);
            } finally {
                stillInterrupted = Thread.interrupted();
                release.countDown();
            }

            assertThat(stillInterrupted).isTrue();
            assertThat(outcomes).hasSize(2).allSatisfy(o -> {
                assertThat(o.errorKind()).isEqualTo(ErrorKind.IO);
                assertThat(o.errorDetail()).isEqualTo("interrupted before the attempt finished");
            });
        }
    }

    @Test
    void sendAll_whenOneAttemptFailsWithAnError_reportsItAndStillSendsTheOthers() {
        String url = route("/others", 204, Map.of(), new byte[0]);
        Signer broken = (id, ts, body) -> {
            throw new AssertionError("signer bug");
        };

        List<HttpOutcome> outcomes = localSender().sendAll(List.of(post(url),
                new WebhookRequest(url, "evt_broken", "{}", broken)));

        assertThat(outcomes.get(0).statusCode()).isEqualTo(204);
        assertThat(outcomes.get(1).errorKind()).isEqualTo(ErrorKind.IO);
        assertThat(outcomes.get(1).errorDetail()).isEqualTo("sender failed: java.lang.AssertionError: signer bug");
        assertThat(received).hasSize(1);
    }

    private static DeliveryPolicy policy() {
        return DeliveryPolicy.defaults().withJitter(Jitter.none());
    }

    private static Delivery pending() {
        return Delivery.pending(Event.of("evt_abc", "order.paid", "o-1", NOW, "{}"), "ep_1", NOW);
    }

    private static Endpoint endpoint(String url) {
        return Endpoint.of("ep_1", url, Set.of("order.paid"), List.of("whsec_dGVzdA=="));
    }
}
