package dev.ben.sender.internal;

import dev.ben.core.observability.Json;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.ben.core.model.Event;
import dev.ben.core.model.EventIds;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns DynamoDB stream records into events by the {@link MappingRule}s. Pure: same record → same event (id,
 * timestamp and payload come from the record, so a redelivered record yields identical bytes).
 */
public final class EventMapper {

    private final Map<String, List<MappingRule>> rulesByPhysicalTable;

    /** @param physicalTableNames logical table name → physical name (from the functions' env) */
    public EventMapper(List<MappingRule> rules, Map<String, String> physicalTableNames) {
        Map<String, List<MappingRule>> byTable = new LinkedHashMap<>();
        for (MappingRule r : rules) {
            String physical = physicalTableNames.getOrDefault(r.table(), r.table());
            byTable.computeIfAbsent(physical, k -> new ArrayList<>()).add(r);
        }
        this.rulesByPhysicalTable = Map.copyOf(byTable);
    }

    /** What a stream record means. */
    public sealed interface Mapped {
        /** Events to deliver (one per matching rule). */
        record Events(List<Event> events) implements Mapped {
        }

        /** A valid record that no rule selects (e.g. status changed to SHIPPED): nothing to do. */
        record Ignored(String reason) implements Mapped {
        }

        /** A record Ben cannot use: recorded as an error with this reason, never silently dropped. */
        record Malformed(String reason) implements Mapped {
        }
    }

    /**
     * @param now used as the event timestamp only when the record lacks ApproximateCreationDateTime
     */
    public Mapped map(DynamodbStreamRecord record, Instant now) {
        if (record == null || record.getDynamodb() == null) {
            return new Mapped.Malformed("stream record has no 'dynamodb' section");
        }
        String table = tableOf(record.getEventSourceARN());
        if (table == null) {
            return new Mapped.Malformed("stream record has no usable eventSourceARN ('" + record.getEventSourceARN()
                    + "'); expected arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>");
        }
        List<MappingRule> rules = rulesByPhysicalTable.get(table);
        if (rules == null) {
            return new Mapped.Malformed("no mapping rule for table '" + table + "' (known: "
                    + rulesByPhysicalTable.keySet() + "); add one to BEN_EVENT_RULES or remove the stream trigger");
        }
        String name = record.getEventName();
        if ("REMOVE".equals(name)) {
            return new Mapped.Ignored("REMOVE events are not notified");
        }
        if (!"INSERT".equals(name) && !"MODIFY".equals(name)) {
            return new Mapped.Malformed("unknown eventName '" + name + "' (expected INSERT, MODIFY or REMOVE)");
        }
        if (record.getEventID() == null || record.getEventID().isBlank()) {
            return new Mapped.Malformed("stream record has no eventID");
        }
        Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
        if (image == null) {
            return new Mapped.Malformed("stream record of table '" + table + "' has no NewImage; the stream view"
                    + " type must be NEW_IMAGE or NEW_AND_OLD_IMAGES");
        }
        Map<String, AttributeValue> old = record.getDynamodb().getOldImage();
        List<Event> events = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (MappingRule rule : rules) {
            if (!rule.value().equals(string(image.get(rule.attribute())))) {
                continue;
            }
            if (old != null && rule.value().equals(string(old.get(rule.attribute())))) {
                continue; // it did not become the value in this change
            }
            String entityId = string(image.get(rule.entityKey()));
            if (entityId == null || entityId.isBlank()) {
                problems.add("attribute '" + rule.entityKey() + "' (entity id) is missing or not a string");
                continue;
            }
            AttributeValue version = image.get(rule.versionAttribute());
            if (version == null || version.getN() == null) {
                problems.add("entity " + entityId + ": attribute '" + rule.versionAttribute()
                        + "' (version) is missing or not a number; receivers need it to ignore stale states");
                continue;
            }
            long entityVersion;
            try {
                entityVersion = new BigDecimal(version.getN()).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                problems.add("entity " + entityId + ": version '" + version.getN() + "' is not an integer");
                continue;
            }
            Instant occurredAt = record.getDynamodb().getApproximateCreationDateTime() == null
                    ? now : record.getDynamodb().getApproximateCreationDateTime().toInstant();
            String eventId = EventIds.eventId(rule.table() + "#" + rule.eventType(), record.getEventID());
            Map<String, Object> data = new LinkedHashMap<>();
            for (String attr : rule.projection()) {
                AttributeValue v = image.get(attr);
                if (v != null) {
                    data.put(attr, toJson(v));
                }
            }
            data.put(rule.versionAttribute(), entityVersion);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("type", rule.eventType());
            payload.put("id", eventId);
            payload.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(occurredAt));
            payload.put("data", data);
            events.add(new Event(eventId, rule.eventType(), entityId, entityVersion, occurredAt, Json.write(payload)));
        }
        if (!problems.isEmpty()) {
            return new Mapped.Malformed("record " + record.getEventID() + " of table '" + table + "': "
                    + String.join("; ", problems));
        }
        return events.isEmpty() ? new Mapped.Ignored("no rule matched") : new Mapped.Events(events);
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

    private static String string(AttributeValue v) {
        return v == null ? null : v.getS();
    }

    private static Object toJson(AttributeValue v) {
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
            return java.util.Base64.getEncoder().encodeToString(bytes(v.getB()));
        }
        return Objects.toString(v);
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
