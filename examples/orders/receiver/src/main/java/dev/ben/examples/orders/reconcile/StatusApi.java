package dev.ben.examples.orders.reconcile;

import dev.ben.examples.orders.store.OrderState;

/** System A's status API, as seen by reconciliation. */
public interface StatusApi {

    /** The current state of {@code orderId} at A. Never throws for HTTP or network failures. */
    Lookup order(String orderId);

    /** Result of a lookup. */
    sealed interface Lookup {
        /** A knows the order. */
        record Found(OrderState state) implements Lookup {
        }

        /**
         * A answered 404: it has no event of the order (A's status API never reads its own table, so it cannot tell
         * an unknown order from one nothing has happened to yet): nothing to apply.
         */
        record NotFound(String orderId) implements Lookup {
        }

        /** A could not be asked (down, timeout, 5xx, 401, unreadable answer). */
        record Failed(String reason, boolean unreachable) implements Lookup {
        }
    }
}
