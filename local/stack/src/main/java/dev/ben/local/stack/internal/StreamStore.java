package dev.ben.local.stack.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The DynamoDB Streams side of the layer: one stream (with one shard) per stream-enabled table, its records,
 * shard iterators, 24 h retention and the Streams API operations.
 *
 * <p>All state is guarded by this object's monitor; appending a record is a few microseconds.
 */
public final class StreamStore {

    public static final Duration RETENTION = Duration.ofHours(24);
    public static final Duration ITERATOR_LIFETIME = Duration.ofMinutes(15);
    static final Set<String> VIEW_TYPES = Set.of("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    /** Sequence numbers are 21-digit decimal strings: "1" followed by a zero-padded 20-digit counter. */
    private static final int SEQUENCE_DIGITS = 21;

    private final Clock clock;
    private final String region;
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private final Map<String, Stream> latestByTable = new HashMap<>();
    private long lastSequence;

    public StreamStore(Clock clock, String region) {
        this.clock = clock;
        this.region = region;
    }

    /**
     * What a writer needs to know about a table's enabled stream. {@code images} caches the current image of
     * items written through the layer while this stream is enabled (key string → item, or a missing node when
     * the item is known not to exist), so most writes need no extra read; it is only touched under the item's key
     * lock.
     */
    public record ActiveStream(String arn, String viewType, List<String> keyNames, Map<String, JsonNode> images) {
    }

    // ---- table lifecycle ------------------------------------------------------------------------------------

    public synchronized ActiveStream activeStream(String table) {
        Stream stream = latestByTable.get(table);
        return stream == null || !stream.enabled() ? null : stream.active;
    }

    /** Throws a ValidationException when the change is not allowed for the table's current stream state. */
    public synchronized void checkChange(String table, boolean enable) {
        Stream latest = latestByTable.get(table);
        if (enable && latest != null && latest.enabled()) {
            throw AwsException.validation("Table already has an enabled stream: " + latest.arn);
        }
        if (!enable && (latest == null || !latest.enabled())) {
            throw AwsException.validation("Table " + table + " does not have an enabled stream to disable");
        }
    }

    /** Opens a new stream for the table (a new label, a new shard). */
    public synchronized void enable(String table, String tableArn, ArrayNode keySchema, String viewType) {
        checkChange(table, true);
        Instant created = clock.instant();
        String label = LABEL.format(created);
        String arn = tableArn + "/stream/" + label;
        while (streams.containsKey(arn)) {
            created = created.plusMillis(1);
            label = LABEL.format(created);
            arn = tableArn + "/stream/" + label;
        }
        List<String> keyNames = new ArrayList<>();
        String hash = null;
        String range = null;
        for (JsonNode element : keySchema) {
            if ("RANGE".equals(element.path("KeyType").asText())) {
                range = element.path("AttributeName").asText();
            } else {
                hash = element.path("AttributeName").asText();
            }
        }
        keyNames.add(hash);
        if (range != null) {
            keyNames.add(range);
        }
        String shardId = "shardId-%020d-%s".formatted(created.toEpochMilli(),
                HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        Stream stream = new Stream(arn, label, table, viewType, keySchema.deepCopy(), created, shardId,
                ++lastSequence, new ActiveStream(arn, viewType, List.copyOf(keyNames), new ConcurrentHashMap<>()));
        streams.put(arn, stream);
        latestByTable.put(table, stream);
    }

    public synchronized void disable(String table) {
        checkChange(table, false);
        latestByTable.get(table).close(clock.instant());
    }

    /** The table is gone: its stream stops (and stays readable for 24 h, as in AWS). */
    public synchronized void tableDeleted(String table) {
        Stream latest = latestByTable.remove(table);
        if (latest != null && latest.enabled()) {
            latest.close(clock.instant());
        }
    }

    /**
     * Adds StreamSpecification, LatestStreamArn and LatestStreamLabel to a table description; false when the
     * table never had a stream here (the description is left as it is).
     */
    public synchronized boolean describeInto(String table, ObjectNode tableDescription) {
        Stream latest = latestByTable.get(table);
        if (latest == null) {
            return false;
        }
        if (latest.enabled()) {
            tableDescription.set("StreamSpecification", JSON.objectNode().put("StreamEnabled", true)
                    .put("StreamViewType", latest.viewType));
        }
        tableDescription.put("LatestStreamArn", latest.arn);
        tableDescription.put("LatestStreamLabel", latest.label);
        return true;
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    /**
     * Appends the record for one item change, or nothing when nothing changed. {@code oldImage}/{@code newImage}
     * are {@code null} when the item did not exist before/after. Returns the record's sequence number, or
     * {@code null} when no record was written.
     */
    public synchronized String append(ActiveStream active, ObjectNode keys, ObjectNode oldImage, ObjectNode newImage) {
        String eventName;
        if (oldImage == null && newImage == null) {
            return null;
        } else if (oldImage == null) {
            eventName = "INSERT";
        } else if (newImage == null) {
            eventName = "REMOVE";
        } else if (Items.sameItem(oldImage, newImage)) {
            return null;
        } else {
            eventName = "MODIFY";
        }
        Stream stream = streams.get(active.arn());
        if (stream == null || !stream.enabled()) {
            return null;
        }
        Instant now = clock.instant();
        long sequence = ++lastSequence;
        ObjectNode dynamodb = JSON.objectNode();
        dynamodb.put("ApproximateCreationDateTime", now.getEpochSecond());
        dynamodb.set("Keys", keys);
        String view = stream.viewType;
        int size = Items.size(keys);
        if (newImage != null && (view.equals("NEW_IMAGE") || view.equals("NEW_AND_OLD_IMAGES"))) {
            dynamodb.set("NewImage", newImage);
            size += Items.size(newImage);
        }
        if (oldImage != null && (view.equals("OLD_IMAGE") || view.equals("NEW_AND_OLD_IMAGES"))) {
            dynamodb.set("OldImage", oldImage);
            size += Items.size(oldImage);
        }
        String sequenceNumber = sequenceNumber(sequence);
        dynamodb.put("SequenceNumber", sequenceNumber);
        dynamodb.put("SizeBytes", size);
        dynamodb.put("StreamViewType", view);
        ObjectNode record = JSON.objectNode();
        record.put("eventID", HexFormat.of().formatHex(randomBytes(16)));
        record.put("eventName", eventName);
        record.put("eventVersion", "1.1");
        record.put("eventSource", "aws:dynamodb");
        record.put("awsRegion", region);
        record.set("dynamodb", dynamodb);
        stream.records.addLast(new StoredRecord(sequence, now, record));
        return sequenceNumber;
    }

    // ---- Streams API ------------------------------------------------------------------------------------------

    public synchronized ObjectNode listStreams(JsonNode request) {
        expire();
        String table = Requests.optionalString(request, "TableName");
        int limit = Requests.optionalInt(request, "Limit", 100, 1, 100);
        String exclusiveStart = Requests.optionalString(request, "ExclusiveStartStreamArn");
        List<Stream> matching = new ArrayList<>();
        for (Stream stream : streams.values()) {
            if (table == null || stream.table.equals(table)) {
                matching.add(stream);
            }
        }
        int from = 0;
        if (exclusiveStart != null) {
            from = -1;
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).arn.equals(exclusiveStart)) {
                    from = i + 1;
                }
            }
            if (from < 0) {
                throw AwsException.resourceNotFound("Requested resource not found: Stream: " + exclusiveStart
                        + " not found");
            }
        }
        ArrayNode list = JSON.arrayNode();
        int to = Math.min(matching.size(), from + limit);
        for (Stream stream : matching.subList(from, to)) {
            list.add(JSON.objectNode().put("StreamArn", stream.arn).put("TableName", stream.table)
                    .put("StreamLabel", stream.label));
        }
        ObjectNode response = JSON.objectNode();
        response.set("Streams", list);
        if (to < matching.size()) {
            response.put("LastEvaluatedStreamArn", matching.get(to - 1).arn);
        }
        return response;
    }

    public synchronized ObjectNode describeStream(JsonNode request) {
        expire();
        Stream stream = stream(Requests.requiredString(request, "StreamArn"));
        Requests.optionalInt(request, "Limit", 100, 1, 100);
        String exclusiveStartShard = Requests.optionalString(request, "ExclusiveStartShardId");
        ObjectNode description = JSON.objectNode();
        description.put("StreamArn", stream.arn);
        description.put("StreamLabel", stream.label);
        description.put("StreamStatus", stream.enabled() ? "ENABLED" : "DISABLED");
        description.put("StreamViewType", stream.viewType);
        description.put("CreationRequestDateTime", epochSeconds(stream.created));
        description.put("TableName", stream.table);
        description.set("KeySchema", stream.keySchema.deepCopy());
        ArrayNode shards = JSON.arrayNode();
        if (exclusiveStartShard == null || !exclusiveStartShard.equals(stream.shardId)) {
            ObjectNode range = JSON.objectNode().put("StartingSequenceNumber", sequenceNumber(stream.startSequence));
            if (!stream.enabled()) {
                range.put("EndingSequenceNumber", sequenceNumber(stream.lastSequence()));
            }
            shards.add(JSON.objectNode().put("ShardId", stream.shardId).set("SequenceNumberRange", range));
        }
        description.set("Shards", shards);
        return JSON.objectNode().set("StreamDescription", description);
    }

    public synchronized ObjectNode getShardIterator(JsonNode request) {
        expire();
        String arn = Requests.requiredString(request, "StreamArn");
        String shardId = Requests.requiredString(request, "ShardId");
        String type = Requests.requiredString(request, "ShardIteratorType");
        String sequenceText = Requests.optionalString(request, "SequenceNumber");
        Stream stream = stream(arn);
        if (!stream.shardId.equals(shardId)) {
            throw AwsException.resourceNotFound("Requested resource not found: Shard does not exist");
        }
        long after = switch (type) {
            case "TRIM_HORIZON" -> stream.trimmedThrough;
            case "LATEST" -> stream.lastSequence();
            case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER" -> {
                if (sequenceText == null) {
                    throw AwsException.validation("SequenceNumber is required for ShardIteratorType " + type);
                }
                long sequence = parseSequence(sequenceText);
                if (sequence < stream.startSequence || sequence > stream.lastSequence()) {
                    throw AwsException.validation("Invalid SequenceNumber " + sequenceText + " for shard " + shardId
                            + ": not in the shard's range");
                }
                if (stream.trimmedAny() && sequence <= stream.trimmedThrough) {
                    throw AwsException.trimmedDataAccess("SequenceNumber " + sequenceText
                            + " is beyond the trim horizon of shard " + shardId);
                }
                yield type.equals("AT_SEQUENCE_NUMBER") ? sequence - 1 : sequence;
            }
            default -> throw AwsException.validation("1 validation error detected: Value '" + type
                    + "' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]");
        };
        if (type.equals("TRIM_HORIZON") || type.equals("LATEST")) {
            if (sequenceText != null) {
                throw AwsException.validation("SequenceNumber must not be given for ShardIteratorType " + type);
            }
        }
        return JSON.objectNode().put("ShardIterator", new Position(arn, shardId, after, clock.millis()).encode());
    }

    public synchronized ObjectNode getRecords(JsonNode request) {
        expire();
        String iterator = Requests.requiredString(request, "ShardIterator");
        int limit = Requests.optionalInt(request, "Limit", 1000, 1, 1000);
        Position position = Position.decode(iterator);
        Instant issued = Instant.ofEpochMilli(position.issuedMillis);
        if (issued.plus(ITERATOR_LIFETIME).isBefore(clock.instant())) {
            throw AwsException.expiredIterator("Iterator expired. The iterator was created at time "
                    + issued + " while right now it is " + clock.instant()
                    + ", which is further in the future than the tolerated delay of "
                    + ITERATOR_LIFETIME.toMillis() + " milliseconds.");
        }
        Stream stream = streams.get(position.streamArn);
        if (stream == null || !stream.shardId.equals(position.shardId)) {
            throw AwsException.resourceNotFound("Requested resource not found: Shard does not exist");
        }
        if (stream.trimmedAny() && position.after < stream.trimmedThrough) {
            throw AwsException.trimmedDataAccess("Attempted to access data past the trim horizon of shard "
                    + position.shardId + ": the iterator points at records that were removed after "
                    + RETENTION.toHours() + " hours");
        }
        ArrayNode records = JSON.arrayNode();
        long last = position.after;
        for (StoredRecord record : stream.records) {
            if (record.sequence <= position.after) {
                continue;
            }
            if (records.size() >= limit) {
                break;
            }
            records.add(record.json);
            last = record.sequence;
        }
        ObjectNode response = JSON.objectNode();
        response.set("Records", records);
        boolean drainedClosedShard = !stream.enabled() && last >= stream.lastSequence();
        if (!drainedClosedShard) {
            response.put("NextShardIterator",
                    new Position(position.streamArn, position.shardId, last, clock.millis()).encode());
        }
        return response;
    }

    // ---- internals ----------------------------------------------------------------------------------------------

    private Stream stream(String arn) {
        Stream stream = streams.get(arn);
        if (stream == null) {
            throw AwsException.resourceNotFound("Requested resource not found: Stream: " + arn + " not found");
        }
        return stream;
    }

    /** Applies the 24 h retention: trims old records and forgets streams disabled more than 24 h ago. */
    private void expire() {
        Instant horizon = clock.instant().minus(RETENTION);
        for (Iterator<Stream> it = streams.values().iterator(); it.hasNext(); ) {
            Stream stream = it.next();
            while (!stream.records.isEmpty() && stream.records.peekFirst().created.isBefore(horizon)) {
                StoredRecord trimmed = stream.records.removeFirst();
                stream.trimmedThrough = trimmed.sequence;
            }
            if (stream.closedAt != null && stream.closedAt.isBefore(horizon) && stream.records.isEmpty()) {
                it.remove();
                latestByTable.remove(stream.table, stream);
            }
        }
    }

    static String sequenceNumber(long sequence) {
        return "1" + "%020d".formatted(sequence);
    }

    private static long parseSequence(String text) {
        if (text.length() != SEQUENCE_DIGITS || text.charAt(0) != '1' || !text.chars().allMatch(Character::isDigit)) {
            throw AwsException.validation("Invalid SequenceNumber: " + text);
        }
        return Long.parseLong(text.substring(1));
    }

    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private record StoredRecord(long sequence, Instant created, ObjectNode json) {
    }

    private static final class Stream {
        final String arn;
        final String label;
        final String table;
        final String viewType;
        final ArrayNode keySchema;
        final Instant created;
        final String shardId;
        final long startSequence;
        final ActiveStream active;
        final ArrayDeque<StoredRecord> records = new ArrayDeque<>();
        long trimmedThrough;
        long endSequence = -1;
        Instant closedAt;

        Stream(String arn, String label, String table, String viewType, ArrayNode keySchema, Instant created,
               String shardId, long startSequence, ActiveStream active) {
            this.arn = arn;
            this.label = label;
            this.table = table;
            this.viewType = viewType;
            this.keySchema = keySchema;
            this.created = created;
            this.shardId = shardId;
            this.startSequence = startSequence;
            this.active = active;
            this.trimmedThrough = startSequence;
        }

        boolean enabled() {
            return closedAt == null;
        }

        boolean trimmedAny() {
            return trimmedThrough > startSequence;
        }

        long lastSequence() {
            if (endSequence >= 0) {
                return endSequence;
            }
            return records.isEmpty() ? trimmedThrough : records.peekLast().sequence;
        }

        void close(Instant at) {
            endSequence = lastSequence();
            closedAt = at;
        }
    }

    /** A shard iterator: the stream, the shard, the last sequence number already read and when it was issued. */
    private record Position(String streamArn, String shardId, long after, long issuedMillis) {

        String encode() {
            String plain = "v1|" + streamArn + "|" + shardId + "|" + after + "|" + issuedMillis;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String iterator) {
            try {
                String plain = new String(Base64.getUrlDecoder().decode(iterator), StandardCharsets.UTF_8);
                String[] parts = plain.split("\\|");
                if (parts.length != 5 || !parts[0].equals("v1")) {
                    throw new IllegalArgumentException("bad layout");
                }
                return new Position(parts[1], parts[2], Long.parseLong(parts[3]), Long.parseLong(parts[4]));
            } catch (IllegalArgumentException e) {
                throw AwsException.validation("Invalid ShardIterator: it was not returned by GetShardIterator or "
                        + "GetRecords of this endpoint");
            }
        }
    }
}
