package dev.ben.examples.orders.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** B's orders table. */
public interface OrderStore {

    /**
     * Writes {@code state} unless B already has the same or a newer version (one conditional write). This is the
     * single apply function used by both the webhook and reconciliation.
     */
    ApplyOutcome apply(OrderState state);

    /**
     * Orders still PENDING whose {@code updatedAt} is before {@code cutoff}, oldest first, at most {@code max},
     * read page by page ({@code pageSize} per query) from the {@code byStatus} index, starting after the
     * position of {@code after} (its {@code updatedAt} and {@code orderId}) when given.
     */
    PendingScan pendingBefore(Instant cutoff, int max, int pageSize, Optional<OrderState> after);

    /** From the oldest pending order. */
    default PendingScan pendingBefore(Instant cutoff, int max, int pageSize) {
        return pendingBefore(cutoff, max, pageSize, Optional.empty());
    }

    /** Pending orders found and how many pages were read; {@code truncated} when more may remain after the last. */
    record PendingScan(List<OrderState> orders, int pages, boolean truncated) {
        public PendingScan {
            orders = List.copyOf(orders);
        }
    }
}
