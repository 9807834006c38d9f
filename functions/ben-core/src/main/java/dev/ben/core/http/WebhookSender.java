package dev.ben.core.http;

import java.util.List;

/** Sends webhooks. Never throws for network or HTTP failures: they are {@link HttpOutcome}s. */
public interface WebhookSender {

    /** One attempt; returns when a response's headers arrived, on failure, or at the request timeout. */
    HttpOutcome send(WebhookRequest request);

    /**
     * One attempt the caller may end early with {@code cutOff}; senders that cannot be interrupted send it whole.
     */
    default HttpOutcome send(WebhookRequest request, CutOff cutOff) {
        return send(request);
    }

    /**
     * Many attempts in parallel (bounded concurrency); outcomes in the order of {@code requests}.
     */
    List<HttpOutcome> sendAll(List<WebhookRequest> requests);
}
