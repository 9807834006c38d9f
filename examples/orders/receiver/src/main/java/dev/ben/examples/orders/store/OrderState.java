package dev.ben.examples.orders.store;

import java.util.Objects;

/**
 * System B's view of an order, or the truth about it reported by system A.
 *
 * @param orderId   the order id (partition key of {@code receiver-orders})
 * @param status    PENDING | PAID | SHIPPED | CANCELLED
 * @param version   A's entity version; B never goes back to an older one
 * @param updatedAt ISO-8601 time of the change at A
 */
public record OrderState(String orderId, String status, long version, String updatedAt) {

    public static final String PENDING = "PENDING";

    public OrderState {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (orderId.isBlank()) {
            throw new IllegalArgumentException("orderId is blank");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
    }

    public boolean pending() {
        return PENDING.equals(status);
    }
}
