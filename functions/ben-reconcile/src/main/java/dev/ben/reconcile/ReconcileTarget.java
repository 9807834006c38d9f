package dev.ben.reconcile;

import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookHandler;
import java.util.Optional;

/**
 * What a receiver gives {@link ReconcileHandler}: its pending records, its webhook handler and the executor its
 * webhook uses (same table, same scope). Name the implementing class in {@code BEN_RECONCILE_TARGET} (it needs a
 * public constructor taking the environment, {@code Map<String, String>}, or a public no-arg one), or register it as
 * the one {@code META-INF/services/dev.ben.reconcile.ReconcileTarget} provider of the function's jar (built the same
 * way: with the function's environment when it has that constructor).
 */
public interface ReconcileTarget {

    /** B's records that await confirmation from A. */
    PendingSource pendingSource();

    /** The handler B's webhook runs (the same instance or an equivalent one). */
    WebhookHandler handler();

    /** The executor B's webhook runs the handler through (same idempotency table and scope). */
    IdempotentExecutor executor();

    /**
     * Where the cursor is kept, unless {@code BEN_RECONCILE_CURSOR_TABLE} names a table; typically
     * {@code CursorStore.dynamoDb(client, idempotencyTable, executor().scope())}.
     */
    default Optional<CursorStore> cursor() {
        return Optional.empty();
    }
}
