package dev.ben.receiver.kit;

/**
 * The user's processing of one verified webhook. Runs at most once per {@code webhook-id} to completion.
 *
 * <p>Return a 2xx or 4xx response to complete the message: it is stored and replayed to duplicates. A 5xx
 * response or an exception is treated as a transient failure: nothing is stored, so the sender's next retry
 * runs the handler again. Side effects outside the handler's own transaction should themselves be
 * idempotent or version-guarded: after a crash the handler may run again once the in-progress record expires.
 */
@FunctionalInterface
public interface WebhookHandler {
    WebhookResponse handle(WebhookMessage message);
}
