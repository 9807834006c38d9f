package dev.ben.receiver.kit;

/**
 * The user's processing of one verified webhook. Runs at most once to completion per {@code webhook-id} in the
 * receiver's scope.
 *
 * <p>Return a 2xx response to complete the message: it is stored and replayed to duplicates. A 4xx is answered but,
 * by default, not stored (see {@link IdempotentExecutor}'s store policy), so a retry runs the handler again. A 5xx
 * response or an exception is treated as a transient failure: nothing is stored, so the sender's next retry
 * runs the handler again. Reconciliation ({@code dev.ben.reconcile}) calls the same handler with the same id and
 * body, so it too runs at most once per event. Side effects outside the handler's own transaction should themselves be
 * idempotent or version-guarded: after a crash the handler may run again once the in-progress record expires.
 */
@FunctionalInterface
public interface WebhookHandler {
    WebhookResponse handle(WebhookMessage message);
}
