package dev.ben.core.http;

import dev.ben.core.egress.EgressException;
import dev.ben.core.egress.EgressGuard;
import dev.ben.core.egress.Target;
import dev.ben.core.http.internal.ResponseReader;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * POSTs signed webhooks over HTTP/1.1 on plain sockets, so that the SSRF guard holds on the address actually
 * connected to.
 *
 * <h2>Why sockets, not {@code java.net.http.HttpClient}</h2>
 * {@code HttpClient} resolves the host itself, when it connects. Checking the name beforehand leaves a window
 * (DNS rebinding: the first answer is public, the second {@code 127.0.0.1}), and the only hook into its
 * resolution is the JVM-wide {@code InetAddressResolverProvider}, which would affect every client in the
 * process (the AWS SDK included). Here the sender:
 * <ol>
 * <li>asks the {@link EgressGuard} to validate the URL, resolve the host once and validate every address;</li>
 * <li>opens a TCP connection to one of those validated {@link InetAddress}es — never to the name;</li>
 * <li>for https, layers TLS over that connected socket with
 *     {@code SSLSocketFactory.createSocket(socket, host, port, true)}, sets SNI to the original host name and
 *     turns on endpoint identification ({@code "HTTPS"}), so the certificate must still match the host name
 *     in the URL: connecting by address does not weaken TLS;</li>
 * <li>sends {@code Host: <original host>}, {@code Connection: close}; never follows redirects (a 3xx is a
 *     failed attempt whose {@code Location} is recorded), so no second, unchecked hop exists.</li>
 * </ol>
 *
 * <h2>Limits</h2>
 * A watchdog closes the socket at the request deadline whatever the phase (connect, TLS, writing, reading), so
 * a slow or stalled receiver cannot hold an invocation past {@link SenderConfig#requestTimeout()}; reads also
 * carry a socket timeout equal to the remaining time. At most {@link SenderConfig#maxBodyBytes()} of the
 * response body (plus one read-ahead buffer of 8 KiB) are read, then the connection is closed. No
 * {@code Thread.sleep} anywhere.
 */
public final class HttpWebhookSender implements WebhookSender, AutoCloseable {

    private static final int READ_BUFFER = 8192;
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");

    private final EgressGuard guard;
    private final SenderConfig config;
    private final Clock clock;
    private final SSLSocketFactory tls;
    private final Semaphore permits;
    private final ScheduledExecutorService watchdog;

    public HttpWebhookSender(EgressGuard guard, SenderConfig config, Clock clock) {
        this(guard, config, clock, defaultSslContext());
    }

    /** With a specific TLS context (tests with their own trust store). */
    public HttpWebhookSender(EgressGuard guard, SenderConfig config, Clock clock, SSLContext sslContext) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tls = sslContext.getSocketFactory();
        this.permits = new Semaphore(config.maxConcurrency());
        ScheduledThreadPoolExecutor ses = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ben-http-deadline");
            t.setDaemon(true);
            return t;
        });
        ses.setRemoveOnCancelPolicy(true);
        this.watchdog = ses;
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    public SenderConfig config() {
        return config;
    }

    @Override
    public List<HttpOutcome> sendAll(List<WebhookRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        if (requests.size() == 1) {
            return List.of(send(requests.get(0)));
        }
        List<Future<HttpOutcome>> futures = new ArrayList<>(requests.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (WebhookRequest request : requests) {
                futures.add(executor.submit(() -> send(request)));
            }
            List<HttpOutcome> outcomes = new ArrayList<>(requests.size());
            for (Future<HttpOutcome> f : futures) {
                outcomes.add(await(f));
            }
            return outcomes;
        }
    }

    private static HttpOutcome await(Future<HttpOutcome> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HttpOutcome.failure(ErrorKind.IO, "interrupted before the attempt finished", Duration.ZERO);
        } catch (ExecutionException e) {
            return HttpOutcome.failure(ErrorKind.IO, "sender failed: " + e.getCause(), Duration.ZERO);
        }
    }

    @Override
    public HttpOutcome send(WebhookRequest request) {
        return send(request, new CutOff());
    }

    @Override
    public HttpOutcome send(WebhookRequest request, CutOff cutOff) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HttpOutcome.failure(ErrorKind.IO, "interrupted while waiting for a connection slot",
                    Duration.ZERO);
        }
        try {
            return attempt(request, cutOff);
        } finally {
            permits.release();
        }
    }

    private HttpOutcome attempt(WebhookRequest request, CutOff cutOff) {
        long start = System.nanoTime();
        Duration timeout = timeoutOf(request);
        long deadline = start + timeout.toNanos();
        Target target;
        try {
            target = guard.check(request.url());
        } catch (EgressException e) {
            return HttpOutcome.failure(e.kind(), e.getMessage(), since(start));
        } catch (RuntimeException e) {
            return HttpOutcome.failure(ErrorKind.IO, "address check failed: " + e, since(start));
        }
        byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
        byte[] head;
        try {
            long timestamp = clock.instant().getEpochSecond();
            head = requestHead(target, request.signer().headers(request.messageId(), timestamp, request.body()),
                    CustomHeaders.sendable(request.headers()), body.length);
        } catch (RuntimeException e) {
            return HttpOutcome.failure(ErrorKind.IO, "cannot build the request: " + e.getMessage(), since(start));
        }

        AtomicReference<Socket> current = new AtomicReference<>();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> timer = watchdog.schedule(() -> {
            expired.set(true);
            closeQuietly(current.get());
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        cutOff.onCut(() -> {
            expired.set(true);
            closeQuietly(current.get());
        });
        Phase phase = new Phase();
        Socket socket = null;
        try {
            socket = connect(target, deadline, current, expired, phase);
            phase.name = "write";
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            phase.name = "read";
            InputStream in = new BufferedInputStream(socket.getInputStream(), READ_BUFFER);
            ResponseReader reader = new ResponseReader(in, SenderConfig.MAX_HEADER_BYTES);
            socket.setSoTimeout(remainingMillis(deadline));
            ResponseReader.Head responseHead = reader.readHead();
            Duration latency = since(start);
            // The status arrived in time; a slow, broken or malformed body does not change the verdict: the
            // reader returns what it got (truncated) and the watchdog bounds the wait.
            socket.setSoTimeout(remainingMillis(deadline));
            ResponseReader.Body responseBody = reader.readBody(responseHead, config.maxBodyBytes());
            return HttpOutcome.response(responseHead.status(), latency, snippet(responseBody.bytes()),
                    responseBody.truncated(), responseHead.header("retry-after"), responseHead.header("location"));
        } catch (IOException | RuntimeException e) {
            if (cutOff.reason().isPresent()) {
                return HttpOutcome.failure(ErrorKind.CUT_OFF, "cut off after " + since(start).toMillis() + " ms ("
                        + phase.name + "): " + cutOff.reason().get(), since(start));
            }
            return classify(e, expired.get(), phase.name, since(start), timeout);
        } finally {
            timer.cancel(false);
            closeQuietly(socket);
            closeQuietly(current.get());
        }
    }

    /** Mutable phase label for error messages (single thread). */
    private static final class Phase {
        String name = "connect";
    }

    private Socket connect(Target target, long deadline, AtomicReference<Socket> current, AtomicBoolean expired,
                           Phase phase) throws IOException {
        IOException last = null;
        for (InetAddress address : target.addresses()) {
            if (expired.get() || System.nanoTime() >= deadline) {
                throw new SocketTimeoutException("request deadline reached while connecting");
            }
            Socket socket = new Socket();
            current.set(socket);
            if (expired.get()) {
                closeQuietly(socket);
                throw new SocketTimeoutException("request deadline reached while connecting");
            }
            int timeout = (int) Math.max(1, Math.min(config.connectTimeout().toMillis(), remainingMillis(deadline)));
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(address, target.port()), timeout);
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
                continue;
            }
            if (!target.https()) {
                return socket;
            }
            phase.name = "tls";
            // The watchdog keeps closing the plain socket underneath (closing an SSLSocket from another thread
            // may wait for its locks); that fails any TLS read or write in progress.
            SSLSocket ssl = (SSLSocket) tls.createSocket(socket, target.host(), target.port(), true);
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isIpLiteral(target.host())) {
                params.setServerNames(List.of(new SNIHostName(stripTrailingDot(target.host()))));
            }
            ssl.setSSLParameters(params);
            ssl.setSoTimeout(remainingMillis(deadline));
            ssl.startHandshake();
            return ssl;
        }
        throw last != null ? last : new ConnectException("no address to connect to");
    }

    private byte[] requestHead(Target target, Map<String, String> signatureHeaders, Map<String, String> custom,
                               int contentLength) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("POST ").append(target.requestTarget()).append(" HTTP/1.1\r\n");
        header(sb, "Host", target.hostHeader());
        header(sb, "User-Agent", config.userAgent());
        header(sb, "Content-Type", "application/json");
        header(sb, "Content-Length", Integer.toString(contentLength));
        header(sb, "Accept", "*/*");
        header(sb, "Connection", "close");
        for (Map.Entry<String, String> h : signatureHeaders.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("host") || name.equals("content-length") || name.equals("connection")
                    || name.equals("transfer-encoding")) {
                throw new IllegalArgumentException("signer may not set " + h.getKey());
            }
            header(sb, h.getKey(), h.getValue());
        }
        // already filtered by CustomHeaders.sendable: none of them is a name set above
        custom.forEach((name, value) -> header(sb, name, value));
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void header(StringBuilder sb, String name, String value) {
        if (!HEADER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid header name " + name);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("header " + name + " contains a line break");
            }
        }
        sb.append(name).append(": ").append(value).append("\r\n");
    }

    private String snippet(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.length() <= config.snippetChars() ? s : s.substring(0, config.snippetChars());
    }

    /** The request's own budget when it is shorter than the configured request timeout. */
    private Duration timeoutOf(WebhookRequest request) {
        Duration own = request.timeout();
        return own == null || own.compareTo(config.requestTimeout()) > 0 ? config.requestTimeout() : own;
    }

    private HttpOutcome classify(Exception e, boolean expired, String phase, Duration latency, Duration timeout) {
        String timeoutText = "no response within " + timeout.toMillis() + " ms";
        if (expired) {
            return HttpOutcome.failure(ErrorKind.TIMEOUT, timeoutText + " (during " + phase + ")", latency);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SocketTimeoutException) {
            return phase.equals("connect")
                    ? HttpOutcome.failure(ErrorKind.CONNECT_TIMEOUT, "no connection within "
                    + config.connectTimeout().toMillis() + " ms", latency)
                    : HttpOutcome.failure(ErrorKind.TIMEOUT, timeoutText + " (during " + phase + ")", latency);
        }
        if (e instanceof ConnectException) {
            return HttpOutcome.failure(ErrorKind.CONNECTION_REFUSED, "connection refused", latency);
        }
        if (e instanceof NoRouteToHostException) {
            return HttpOutcome.failure(ErrorKind.IO, "no route to host", latency);
        }
        if (e instanceof SSLException) {
            return HttpOutcome.failure(ErrorKind.TLS, "TLS failure: " + message, latency);
        }
        if (e instanceof ProtocolException) {
            return HttpOutcome.failure(ErrorKind.PROTOCOL, "invalid HTTP response: " + message, latency);
        }
        if (e instanceof EOFException) {
            return HttpOutcome.failure(ErrorKind.CONNECTION_RESET, "connection closed by the peer during "
                    + phase + " before a response", latency);
        }
        if (e instanceof SocketException) {
            String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("reset") || lower.contains("broken pipe") || lower.contains("abort")) {
                return HttpOutcome.failure(ErrorKind.CONNECTION_RESET, "connection reset during " + phase, latency);
            }
        }
        if (e instanceof RuntimeException) {
            return HttpOutcome.failure(ErrorKind.IO, "unexpected " + e.getClass().getSimpleName() + " during "
                    + phase + ": " + message, latency);
        }
        return HttpOutcome.failure(ErrorKind.IO, "I/O error during " + phase + ": " + message, latency);
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4_LITERAL.matcher(host).matches();
    }

    private static String stripTrailingDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static int remainingMillis(long deadlineNanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
