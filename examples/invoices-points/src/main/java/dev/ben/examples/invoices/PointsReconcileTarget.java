package dev.ben.examples.invoices;

import dev.ben.reconcile.CursorStore;
import dev.ben.reconcile.PendingSource;
import dev.ben.reconcile.ReconcileTarget;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookHandler;
import java.util.Map;
import java.util.Optional;

/**
 * What the library's generic reconcile function needs of B (the jar's {@code ReconcileTarget} service provider, or
 * {@code BEN_RECONCILE_TARGET}): the invoices B still
 * awaits, and the same handler and executor as B's webhook.
 */
public final class PointsReconcileTarget implements ReconcileTarget {

    private final PointsWiring wiring;

    /** The service provider's constructor (Lambda): configuration from the process environment. */
    public PointsReconcileTarget() {
        this(System.getenv());
    }

    public PointsReconcileTarget(Map<String, String> env) {
        this.wiring = PointsWiring.from(env, InvoicesExample.RECONCILE_FUNCTION);
    }

    @Override
    public PendingSource pendingSource() {
        return wiring.ledger();
    }

    @Override
    public WebhookHandler handler() {
        return wiring.handler();
    }

    @Override
    public IdempotentExecutor executor() {
        return wiring.executor();
    }

    /** The cursor: an item of the idempotency table. */
    @Override
    public Optional<CursorStore> cursor() {
        return Optional.of(CursorStore.dynamoDb(wiring.dynamoDb(), wiring.idempotencyTable(), InvoicesExample.SCOPE));
    }
}
