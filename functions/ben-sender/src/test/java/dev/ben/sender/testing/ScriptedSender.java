package dev.ben.sender.testing;

import dev.ben.core.http.CutOff;
import dev.ben.core.http.ErrorKind;
import dev.ben.core.http.HttpOutcome;
import dev.ben.core.http.WebhookRequest;
import dev.ben.core.http.WebhookSender;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/** A WebhookSender for unit tests: answers by a function of the request; records requests and signed headers. */
public final class ScriptedSender implements WebhookSender {

    public record Sent(WebhookRequest request, Map<String, String> headers) {
    }

    public final List<Sent> sent = new CopyOnWriteArrayList<>();
    private volatile Function<WebhookRequest, HttpOutcome> script;
    private final Set<String> hanging = ConcurrentHashMap.newKeySet();

    public ScriptedSender(Function<WebhookRequest, HttpOutcome> script) {
        this.script = script;
    }

    public static ScriptedSender status(int code) {
        return new ScriptedSender(r -> HttpOutcome.status(code, Duration.ofMillis(5)));
    }

    public void script(Function<WebhookRequest, HttpOutcome> s) {
        this.script = s;
    }

    @Override
    public HttpOutcome send(WebhookRequest request) {
        sent.add(new Sent(request, request.signer().headers(request.messageId(), 1_795_989_602L, request.body())));
        return script.apply(request);
    }

    /** Requests to {@code url} get no answer until they are cut off or their timeout (default 10 s) ends. */
    public void hang(String url) {
        hanging.add(url);
    }

    @Override
    public HttpOutcome send(WebhookRequest request, CutOff cutOff) {
        if (!hanging.contains(request.url())) {
            return send(request);
        }
        sent.add(new Sent(request, request.signer().headers(request.messageId(), 1_795_989_602L, request.body())));
        long start = System.nanoTime();
        Duration timeout = request.timeout() == null ? Duration.ofSeconds(10) : request.timeout();
        while (cutOff.reason().isEmpty() && Duration.ofNanos(System.nanoTime() - start).compareTo(timeout) < 0) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        return cutOff.reason().map(r -> HttpOutcome.failure(ErrorKind.CUT_OFF, "cut off: " + r, waited))
                .orElseGet(() -> HttpOutcome.failure(ErrorKind.TIMEOUT, "no response within "
                        + timeout.toMillis() + " ms", waited));
    }

    @Override
    public List<HttpOutcome> sendAll(List<WebhookRequest> requests) {
        return requests.stream().map(this::send).toList();
    }
}
