package dev.ben.sender.internal;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.ben.core.model.Event;
import dev.ben.core.model.EventIds;
import dev.ben.core.model.Tenant;
import dev.ben.core.observability.Json;
import dev.ben.settings.declaration.ChangeKind;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.KeyAttribute;
import dev.ben.settings.declaration.KeyType;
import dev.ben.settings.declaration.Payload;
import dev.ben.settings.declaration.Rule;
import dev.ben.settings.declaration.Source;
import dev.ben.settings.declaration.StreamViewType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns DynamoDB stream records into events by the declaration's rules. Pure: same record → same event (id,
 * timestamp and payload come from the record, so a redelivered record yields identical bytes).
 *
 * <p>Payload (the POSTed body), members in this order, optional ones only when the rule declares them:
 * <pre>{@code
 * {"type": "invoice.Settled", "id": "evt_…", "timestamp": "2026-11-29T22:00:00Z",
 *  "entityId": "tenant-a|inv-7", "tenantId": "tenant-a", "version": 3, "sequence": "4200000000000012345678",
 *  "data": {…the projection, or the whole image…}}
 * }</pre>
 */
public final class EventMapper {

    private final Map<String, Source> sourcesByPhysicalTable;

    /** @param physicalTables source name → physical table name (see {@code SenderConfig#sourceTables}) */
    public EventMapper(Declaration declaration, Map<String, String> physicalTables) {
        Map<String, Source> byTable = new LinkedHashMap<>();
        for (Source s : declaration.sources()) {
            byTable.put(physicalTables.getOrDefault(s.name(), s.table()), s);
        }
        this.sourcesByPhysicalTable = Map.copyOf(byTable);
    }

    /** What a stream record means. */
    public sealed interface Mapped {
        /** Events to deliver (one per matching rule). */
        record Events(List<Event> events) implements Mapped {
        }

        /** A valid record that no rule selects (e.g. a status changed to SHIPPED): nothing to do. */
        record Ignored(String reason) implements Mapped {
        }

        /** A record Ben cannot use: recorded as an error with this reason, never silently dropped. */
        record Malformed(String reason) implements Mapped {
        }
    }

    /** @param now used as the event timestamp only when the record lacks ApproximateCreationDateTime */
    public Mapped map(DynamodbStreamRecord record, Instant now) {
        if (record == null || record.getDynamodb() == null) {
            return new Mapped.Malformed("stream record has no 'dynamodb' section");
        }
        String table = tableOf(record.getEventSourceARN());
        if (table == null) {
            return new Mapped.Malformed("stream record has no usable eventSourceARN ('" + record.getEventSourceARN()
                    + "'); expected arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>");
        }
        Source source = sourcesByPhysicalTable.get(table);
        if (source == null) {
            return new Mapped.Malformed("no source of the declaration reads table '" + table + "' (declared: "
                    + sourcesByPhysicalTable.keySet() + "); add it to BEN_DECLARATION or remove the stream trigger");
        }
        ChangeKind kind;
        try {
            kind = ChangeKind.valueOf(String.valueOf(record.getEventName()));
        } catch (IllegalArgumentException e) {
            return new Mapped.Malformed("unknown eventName '" + record.getEventName()
                    + "' (expected INSERT, MODIFY or REMOVE)");
        }
        if (record.getEventID() == null || record.getEventID().isBlank()) {
            return new Mapped.Malformed("stream record has no eventID");
        }
        if (source.rules().stream().noneMatch(r -> r.appliesTo(kind))) {
            return new Mapped.Ignored("no rule of source " + source.name() + " listens to " + kind);
        }
        Map<String, AttributeValue> newImage = record.getDynamodb().getNewImage();
        Map<String, AttributeValue> oldImage = record.getDynamodb().getOldImage();
        String missing = missingImage(source, kind, oldImage, newImage);
        if (missing != null) {
            return new Mapped.Malformed("record " + record.getEventID() + " of table '" + table + "': " + missing);
        }
        List<Event> events = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Rule rule : source.rules()) {
            if (RuleMatcher.matches(rule, kind, oldImage, newImage)) {
                Map<String, AttributeValue> image = kind == ChangeKind.REMOVE ? oldImage : newImage;
                try {
                    events.add(event(source, rule, record, image, now));
                } catch (IllegalArgumentException problem) {
                    problems.add(rule.eventType() + ": " + problem.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            return new Mapped.Malformed("record " + record.getEventID() + " of table '" + table + "': "
                    + String.join("; ", problems));
        }
        return events.isEmpty() ? new Mapped.Ignored("no rule matched") : new Mapped.Events(events);
    }

    /** What the record lacks for the declared view type, or null. */
    private static String missingImage(Source source, ChangeKind kind, Map<String, AttributeValue> oldImage,
                                       Map<String, AttributeValue> newImage) {
        boolean needsNew = kind != ChangeKind.REMOVE;
        boolean needsOld = kind == ChangeKind.REMOVE
                || (kind == ChangeKind.MODIFY && source.streamViewType() == StreamViewType.NEW_AND_OLD_IMAGES);
        String fix = " the declaration says the stream is " + source.streamViewType() + "; make the table's"
                + " StreamViewType match it (NEW_AND_OLD_IMAGES lets every rule work)";
        if (needsNew && newImage == null) {
            return kind + " record has no NewImage:" + fix;
        }
        if (needsOld && oldImage == null) {
            return kind + " record has no OldImage:" + fix;
        }
        return null;
    }

    private static Event event(Source source, Rule rule, DynamodbStreamRecord record,
                               Map<String, AttributeValue> image, Instant now) {
        Map<String, AttributeValue> keys = record.getDynamodb().getKeys() == null || record.getDynamodb().getKeys()
                .isEmpty() ? image : record.getDynamodb().getKeys();
        String entityId = source.entityId(keyValue(keys, source.partitionKey()),
                source.sortKeyAttribute().map(k -> keyValue(keys, k)).orElse(null));
        String tenant = rule.tenantAttribute().map(a -> tenant(image, a)).orElse("");
        long version = rule.versionAttribute().map(a -> version(image, a)).orElse(Event.NO_VERSION);
        String notifyUrl = rule.notifyUrlAttribute().map(a -> notifyUrl(image, a)).orElse("");
        String sequence = record.getDynamodb().getSequenceNumber() == null ? ""
                : record.getDynamodb().getSequenceNumber();
        Instant occurredAt = record.getDynamodb().getApproximateCreationDateTime() == null
                ? now : record.getDynamodb().getApproximateCreationDateTime().toInstant();
        String eventId = EventIds.eventId(source.name() + "#" + rule.eventType(), record.getEventID());

        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", rule.eventType());
        payload.put("id", eventId);
        payload.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(occurredAt));
        payload.put("entityId", entityId);
        if (!tenant.isEmpty()) {
            payload.put("tenantId", tenant);
        }
        if (version != Event.NO_VERSION) {
            payload.put("version", version);
        }
        payload.put("sequence", sequence);
        payload.put("data", data(rule.payload(), image));
        return new Event(eventId, rule.eventType(), source.name(), entityId, tenant, version, sequence, occurredAt,
                Json.write(payload), notifyUrl);
    }

    private static Map<String, Object> data(Payload payload, Map<String, AttributeValue> image) {
        Map<String, Object> data = new LinkedHashMap<>();
        switch (payload) {
            case Payload.WholeImage whole -> image.forEach((k, v) -> data.put(k, toJson(v)));
            case Payload.Projection p -> p.attributes().forEach(a -> {
                AttributeValue v = image.get(a);
                if (v != null) {
                    data.put(a, toJson(v));
                }
            });
        }
        return data;
    }

    private static String keyValue(Map<String, AttributeValue> keys, KeyAttribute key) {
        AttributeValue v = keys.get(key.name());
        String value = v == null ? null : key.type() == KeyType.S ? v.getS() : v.getN();
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("key attribute '" + key.name() + "' is missing or not of type "
                    + key.type() + " as declared; fix the declaration's key schema");
        }
        return value;
    }

    private static String tenant(Map<String, AttributeValue> image, String attribute) {
        AttributeValue v = image.get(attribute);
        String tenant = v == null ? null : v.getS() != null ? v.getS() : v.getN();
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("attribute '" + attribute + "' (tenant) is missing or not a string or"
                    + " number: without a tenant the event cannot be routed (a tenant's events never go to everybody)");
        }
        if (!Tenant.validId(tenant)) {
            throw new IllegalArgumentException("tenant id '" + abbreviate(tenant) + "' in attribute '" + attribute
                    + "' is not valid: " + Tenant.ID_RULE);
        }
        return tenant;
    }

    private static long version(Map<String, AttributeValue> image, String attribute) {
        AttributeValue v = image.get(attribute);
        if (v == null || v.getN() == null) {
            throw new IllegalArgumentException("attribute '" + attribute + "' (version) is missing or not a number;"
                    + " receivers need it to ignore stale states");
        }
        try {
            long version = new BigDecimal(v.getN()).longValueExact();
            if (version < 0) {
                throw new IllegalArgumentException("version '" + v.getN() + "' is negative");
            }
            return version;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("version '" + v.getN() + "' is not an integer");
        }
    }

    private static String notifyUrl(Map<String, AttributeValue> image, String attribute) {
        AttributeValue v = image.get(attribute);
        if (v == null || v.getS() == null || v.getS().isBlank()) {
            throw new IllegalArgumentException("attribute '" + attribute + "' (notify URL) is missing or not a string");
        }
        return v.getS().trim();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** {@code arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-...} → {@code orders}. */
    static String tableOf(String arn) {
        if (arn == null) {
            return null;
        }
        int i = arn.indexOf(":table/");
        if (i < 0) {
            return null;
        }
        String rest = arn.substring(i + 7);
        int slash = rest.indexOf('/');
        String table = slash < 0 ? rest : rest.substring(0, slash);
        return table.isBlank() ? null : table;
    }

    static Object toJson(AttributeValue v) {
        if (v.getS() != null) {
            return v.getS();
        }
        if (v.getN() != null) {
            return new Json.RawNumber(v.getN());
        }
        if (v.getBOOL() != null) {
            return v.getBOOL();
        }
        if (Boolean.TRUE.equals(v.getNULL())) {
            return null;
        }
        if (v.getM() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            v.getM().forEach((k, x) -> m.put(k, toJson(x)));
            return m;
        }
        if (v.getL() != null) {
            return v.getL().stream().map(EventMapper::toJson).toList();
        }
        if (v.getSS() != null) {
            return v.getSS();
        }
        if (v.getNS() != null) {
            return v.getNS().stream().map(Json.RawNumber::new).toList();
        }
        if (v.getB() != null) {
            return Base64.getEncoder().encodeToString(bytes(v.getB()));
        }
        if (v.getBS() != null) {
            return v.getBS().stream().map(b -> Base64.getEncoder().encodeToString(bytes(b))).toList();
        }
        return Objects.toString(v);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
