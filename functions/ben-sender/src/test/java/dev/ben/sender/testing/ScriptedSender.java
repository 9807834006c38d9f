package dev.ben.sender.testing;

import dev.ben.core.http.HttpOutcome;
import dev.ben.core.http.WebhookRequest;
import dev.ben.core.http.WebhookSender;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A WebhookSender for unit tests: answers by a function of the request; records requests and signed headers. */
public final class ScriptedSender implements WebhookSender {

    public record Sent(WebhookRequest request, Map<String, String> headers) {
    }

    public final List<Sent> sent = new CopyOnWriteArrayList<>();
    private volatile Function<WebhookRequest, HttpOutcome> script;

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

    @Override
    public List<HttpOutcome> sendAll(List<WebhookRequest> requests) {
        return requests.stream().map(this::send).toList();
    }
}
