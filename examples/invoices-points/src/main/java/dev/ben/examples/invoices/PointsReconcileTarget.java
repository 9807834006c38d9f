package dev.ben.examples.invoices;

import dev.ben.reconcile.PendingSource;
import dev.ben.reconcile.ReconcileTarget;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookHandler;
import java.util.Map;

/**
 * What the library's generic reconcile function needs of B ({@code BEN_RECONCILE_TARGET}): the invoices B still
 * awaits, and the same handler and executor as B's webhook.
 */
public final class PointsReconcileTarget implements ReconcileTarget {

    private final PointsWiring wiring;

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
}
