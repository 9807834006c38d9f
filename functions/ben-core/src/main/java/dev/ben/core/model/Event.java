package dev.ben.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A notification derived from one change of a source record.
 *
 * @param id         deterministic id, {@code evt_…} (see {@link EventIds#eventId}); also the {@code webhook-id}
 * @param type       event type, exactly as declared, e.g. {@code invoice.Settled}
 * @param source     the declared source (table) it comes from
 * @param entityId   id of the changed record (its key values; composite keys joined as the declaration documents)
 * @param tenantId   the tenant it belongs to, "" for none (only that tenant's endpoints receive it)
 * @param version    the record's version after the change, {@link #NO_VERSION} when the rule declares none
 * @param sequence   the stream record's sequence number: grows with every change of one item, so receivers can
 *                   order by it when there is no version; "" when unknown
 * @param occurredAt when the change happened
 * @param payload    the exact JSON body that is POSTed (and signed)
 * @param notifyUrl  the URL the record asks to be notified at (per-record URL rules), "" for none
 */
public record Event(String id, String type, String source, String entityId, String tenantId, long version,
                    String sequence, Instant occurredAt, String payload, String notifyUrl) {

    /** {@link #version()} of events whose rule has no version attribute. */
    public static final long NO_VERSION = -1;

    public Event {
        requireText(id, "id");
        requireText(type, "type");
        requireText(entityId, "entityId");
        source = source == null ? "" : source;
        tenantId = tenantId == null ? "" : tenantId;
        sequence = sequence == null ? "" : sequence;
        notifyUrl = notifyUrl == null ? "" : notifyUrl;
        if (version < NO_VERSION) {
            throw new IllegalArgumentException("version must be >= 0 (or NO_VERSION), got " + version);
        }
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
    }

    /** An event without tenant, version, sequence or per-record URL (tests, simple sources). */
    public static Event of(String id, String type, String entityId, Instant occurredAt, String payload) {
        return new Event(id, type, "", entityId, "", NO_VERSION, "", occurredAt, payload, "");
    }

    public boolean hasVersion() {
        return version != NO_VERSION;
    }

    /** Whether it goes to the URL in the record rather than to subscribed endpoints. */
    public boolean hasNotifyUrl() {
        return !notifyUrl.isEmpty();
    }

    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be a non-blank string");
        }
    }
}
