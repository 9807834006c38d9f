package dev.ben.local.runtime.internal;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Converts GetRecords output (SDK v2 model) into what Lambda hands a function: a
 * {@link DynamodbEvent.DynamodbStreamRecord} carrying {@code eventSourceARN}, and the JSON form of the same
 * record that filter patterns are matched against ({@code {"eventName": ..., "dynamodb": {"NewImage": {"status": {"S": ...}}}}}).
 */
public final class StreamRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamRecords() {
    }

    public static DynamodbEvent.DynamodbStreamRecord toEvent(Record record, String streamArn) {
        DynamodbEvent.DynamodbStreamRecord event = new DynamodbEvent.DynamodbStreamRecord();
        event.setEventID(record.eventID());
        event.setEventName(record.eventNameAsString());
        event.setEventVersion(record.eventVersion());
        event.setEventSource(record.eventSource());
        event.setAwsRegion(record.awsRegion());
        event.setEventSourceARN(streamArn);
        if (record.userIdentity() != null) {
            event.setUserIdentity(new Identity().withPrincipalId(record.userIdentity().principalId())
                    .withType(record.userIdentity().type()));
        }
        var source = record.dynamodb();
        StreamRecord target = new StreamRecord();
        if (source.approximateCreationDateTime() != null) {
            target.setApproximateCreationDateTime(Date.from(source.approximateCreationDateTime()));
        }
        if (source.hasKeys()) {
            target.setKeys(toEvent(source.keys()));
        }
        if (source.hasNewImage()) {
            target.setNewImage(toEvent(source.newImage()));
        }
        if (source.hasOldImage()) {
            target.setOldImage(toEvent(source.oldImage()));
        }
        target.setSequenceNumber(source.sequenceNumber());
        target.setSizeBytes(source.sizeBytes());
        if (source.streamViewTypeAsString() != null) {
            target.setStreamViewType(StreamViewType.fromValue(source.streamViewTypeAsString()));
        }
        event.setDynamodb(target);
        return event;
    }

    /** The record as Lambda's event JSON, for filter matching. */
    public static ObjectNode toJson(Record record, String streamArn) {
        ObjectNode json = JSON.createObjectNode();
        json.put("eventID", record.eventID());
        json.put("eventName", record.eventNameAsString());
        json.put("eventVersion", record.eventVersion());
        json.put("eventSource", record.eventSource());
        json.put("awsRegion", record.awsRegion());
        json.put("eventSourceARN", streamArn);
        var source = record.dynamodb();
        ObjectNode dynamodb = json.putObject("dynamodb");
        if (source.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", source.approximateCreationDateTime().getEpochSecond());
        }
        if (source.hasKeys()) {
            dynamodb.set("Keys", toJson(source.keys()));
        }
        if (source.hasNewImage()) {
            dynamodb.set("NewImage", toJson(source.newImage()));
        }
        if (source.hasOldImage()) {
            dynamodb.set("OldImage", toJson(source.oldImage()));
        }
        dynamodb.put("SequenceNumber", source.sequenceNumber());
        if (source.sizeBytes() != null) {
            dynamodb.put("SizeBytes", source.sizeBytes());
        }
        dynamodb.put("StreamViewType", source.streamViewTypeAsString());
        return json;
    }

    static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> toEvent(
            Map<String, AttributeValue> item) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> result = new LinkedHashMap<>();
        item.forEach((name, value) -> result.put(name, toEvent(value)));
        return result;
    }

    static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue toEvent(AttributeValue value) {
        var result = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        switch (value.type()) {
            case S -> result.setS(value.s());
            case N -> result.setN(value.n());
            case B -> result.setB(value.b().asByteBuffer());
            case SS -> result.setSS(value.ss());
            case NS -> result.setNS(value.ns());
            case BS -> result.setBS(value.bs().stream().map(SdkBytes::asByteBuffer).toList());
            case M -> result.setM(toEvent(value.m()));
            case L -> result.setL(value.l().stream().map(StreamRecords::toEvent).toList());
            case BOOL -> result.setBOOL(value.bool());
            case NUL -> result.setNULL(value.nul());
            default -> throw new IllegalArgumentException("unknown DynamoDB attribute value type in stream record: " + value);
        }
        return result;
    }

    private static ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode node = JSON.createObjectNode();
        item.forEach((name, value) -> node.set(name, toJson(value)));
        return node;
    }

    private static ObjectNode toJson(AttributeValue value) {
        ObjectNode node = JSON.createObjectNode();
        switch (value.type()) {
            case S -> node.put("S", value.s());
            case N -> node.put("N", value.n());
            case B -> node.put("B", base64(value.b().asByteBuffer()));
            case SS -> strings(node.putArray("SS"), value.ss());
            case NS -> strings(node.putArray("NS"), value.ns());
            case BS -> value.bs().forEach(b -> node.withArray("BS").add(base64(b.asByteBuffer())));
            case M -> node.set("M", toJson(value.m()));
            case L -> {
                ArrayNode list = node.putArray("L");
                value.l().forEach(v -> list.add(toJson(v)));
            }
            case BOOL -> node.put("BOOL", value.bool());
            case NUL -> node.put("NULL", value.nul());
            default -> throw new IllegalArgumentException("unknown DynamoDB attribute value type in stream record: " + value);
        }
        return node;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static String base64(ByteBuffer bytes) {
        ByteBuffer copy = bytes.duplicate();
        byte[] raw = new byte[copy.remaining()];
        copy.get(raw);
        return Base64.getEncoder().encodeToString(raw);
    }
}
