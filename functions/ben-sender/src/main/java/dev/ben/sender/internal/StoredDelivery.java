package dev.ben.sender.internal;

import dev.ben.core.model.Delivery;
import dev.ben.core.model.Event;

/**
 * A delivery as stored: the domain state plus what only the store needs. The event's type, version and sequence
 * ride along on every delivery row (no extra write), so the status API can list an entity's events from its
 * deliveries without ever reading the source table.
 *
 * @param delivery   the domain state
 * @param eventType  the event's type (for the DLQ copy and the status API)
 * @param payload    the exact JSON body to POST; {@code null} when it was not stored (too large)
 * @param queueToken names the retry-queue message currently driving this delivery ("" when none); a message with
 *                   another token is a stale duplicate and is dropped
 * @param url        the per-record URL of an {@code ep_url_…} delivery (retries and replays send there, signed with
 *                   the tenant's current secrets), "" for deliveries to registered endpoints
 * @param version    the event's version, {@link Event#NO_VERSION} when its rule has none
 * @param sequence   the stream record's sequence number, "" when unknown
 */
public record StoredDelivery(Delivery delivery, String eventType, String payload, String queueToken, String url,
                             long version, String sequence) {

    public StoredDelivery {
        queueToken = queueToken == null ? "" : queueToken;
        url = url == null ? "" : url;
        sequence = sequence == null ? "" : sequence;
    }

    /** A new delivery of {@code event}, its payload stored. */
    public static StoredDelivery of(Event event, Delivery delivery, String url) {
        return new StoredDelivery(delivery, event.type(), event.payload(), "", url, event.version(),
                event.sequence());
    }

    public String id() {
        return delivery.id();
    }

    public StoredDelivery with(Delivery next, String nextToken) {
        return new StoredDelivery(next, eventType, payload, nextToken, url, version, sequence);
    }

    /** The same delivery without its payload (one that was too large to store). */
    public StoredDelivery withoutPayload() {
        return new StoredDelivery(delivery, eventType, null, queueToken, url, version, sequence);
    }
}
