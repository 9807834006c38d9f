package dev.ben.reconcile;

import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookHandler;

/**
 * What a receiver gives {@link ReconcileHandler}: its pending records, its webhook handler and the executor its
 * webhook uses (same table, same scope). Name the implementing class in {@code BEN_RECONCILE_TARGET}; it needs a
 * public constructor taking the environment ({@code Map<String, String>}) or a public no-arg one.
 */
public interface ReconcileTarget {

    /** B's records that await confirmation from A. */
    PendingSource pendingSource();

    /** The handler B's webhook runs (the same instance or an equivalent one). */
    WebhookHandler handler();

    /** The executor B's webhook runs the handler through (same idempotency table and scope). */
    IdempotentExecutor executor();
}
