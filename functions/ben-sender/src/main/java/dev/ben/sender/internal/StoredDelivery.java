package dev.ben.sender.internal;

import dev.ben.core.model.Delivery;

/**
 * A delivery as stored: the domain state plus what only the store needs.
 *
 * @param delivery   the domain state
 * @param eventType  the event's type (for the DLQ copy and the status API)
 * @param payload    the exact JSON body to POST; {@code null} when it was not stored (too large)
 * @param queueToken names the retry-queue message currently driving this delivery ("" when none); a message with
 *                   another token is a stale duplicate and is dropped
 */
public record StoredDelivery(Delivery delivery, String eventType, String payload, String queueToken) {

    public StoredDelivery {
        queueToken = queueToken == null ? "" : queueToken;
    }

    public String id() {
        return delivery.id();
    }

    public StoredDelivery with(Delivery next, String nextToken) {
        return new StoredDelivery(next, eventType, payload, nextToken);
    }
}
