package dev.ben.receiver.orders;

import java.time.Instant;
import java.util.List;

/** B's orders table. */
public interface OrderStore {

    /**
     * Writes {@code state} unless B already has the same or a newer version (one conditional write). This is the
     * single apply function used by both the webhook and reconciliation.
     */
    ApplyOutcome apply(OrderState state);

    /**
     * Orders still PENDING whose {@code updatedAt} is before {@code cutoff}, oldest first, at most {@code max},
     * read page by page ({@code pageSize} per query) from the {@code byStatus} index.
     */
    PendingScan pendingBefore(Instant cutoff, int max, int pageSize);

    /** Pending orders found and how many pages were read; {@code truncated} when more remain beyond {@code max}. */
    record PendingScan(List<OrderState> orders, int pages, boolean truncated) {
        public PendingScan {
            orders = List.copyOf(orders);
        }
    }
}
