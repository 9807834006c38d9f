package dev.ben.sender.internal;

import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Deliveries table. Every state change is conditional, so a stale worker can never overwrite a newer state. */
public interface DeliveryStore {

    /** Creates the delivery unless one with the same id exists; returns the existing one in that case. */
    Optional<StoredDelivery> createIfAbsent(StoredDelivery delivery);

    /** Strongly consistent read. */
    Optional<StoredDelivery> find(String deliveryId);

    /** Batch read (for skipping deliveries a redelivered stream batch already created). */
    Map<String, StoredDelivery> findAll(Collection<String> deliveryIds);

    /**
     * Writes {@code next}'s state and {@code nextToken} if the stored delivery still has {@code expected}'s status,
     * attempt count, queue token and parked flag. Returns false when the condition failed (someone else moved it on).
     * A {@code next} that is not parked (any {@link Delivery#withStatus}) unparks it.
     */
    boolean transition(StoredDelivery expected, Delivery next, String nextToken);

    /**
     * Live deliveries of a status whose nextAttemptAt is before {@code dueBefore}, oldest first, one page. Never a
     * parked one: it has no queue message to lose, the sweeper releases it through {@link #parked}.
     */
    Page overdue(DeliveryStatus status, Instant dueBefore, int limit, Map<String, String> cursor);

    /** The endpoint's parked deliveries (its circuit is open), oldest nextAttemptAt first, one page. */
    Page parked(String endpointId, int limit, Map<String, String> cursor);

    /** Deliveries of an entity (e.g. an order), newest first. */
    List<StoredDelivery> byEntity(String entityId, int limit);

    /** A page of results and the cursor for the next one (empty when done). */
    record Page(List<StoredDelivery> items, Map<String, String> next) {
        public Page {
            items = List.copyOf(items);
            next = Map.copyOf(next);
        }
    }
}
