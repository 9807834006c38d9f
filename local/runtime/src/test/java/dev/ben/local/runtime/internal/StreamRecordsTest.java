package dev.ben.local.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

class StreamRecordsTest {
    private static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000";

    private static Record record() {
        return Record.builder().eventID("ev1").eventName(OperationType.MODIFY).eventVersion("1.1")
                .eventSource("aws:dynamodb").awsRegion("us-east-1")
                .dynamodb(StreamRecord.builder().approximateCreationDateTime(Instant.parse("2026-01-01T10:00:00Z"))
                        .keys(Map.of("orderId", AttributeValue.fromS("o-1")))
                        .oldImage(Map.of("orderId", AttributeValue.fromS("o-1"), "status", AttributeValue.fromS("PENDING")))
                        .newImage(Map.of("orderId", AttributeValue.fromS("o-1"), "status", AttributeValue.fromS("PAID"),
                                "version", AttributeValue.fromN("2"), "paid", AttributeValue.fromBool(true),
                                "tags", AttributeValue.fromSs(List.of("a")), "raw", AttributeValue.fromB(SdkBytes.fromUtf8String("hi")),
                                "items", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("sku", AttributeValue.fromS("x"))))),
                                "note", AttributeValue.fromNul(true)))
                        .sequenceNumber("111").sizeBytes(99L).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
                .build();
    }

    @Test
    void toEvent_carriesEveryFieldAndAttributeType() {
        DynamodbEvent.DynamodbStreamRecord event = StreamRecords.toEvent(record(), ARN);

        assertThat(event.getEventID()).isEqualTo("ev1");
        assertThat(event.getEventName()).isEqualTo("MODIFY");
        assertThat(event.getEventSourceARN()).isEqualTo(ARN);
        assertThat(event.getEventSource()).isEqualTo("aws:dynamodb");
        assertThat(event.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(event.getEventVersion()).isEqualTo("1.1");
        var image = event.getDynamodb().getNewImage();
        assertThat(image.get("version").getN()).isEqualTo("2");
        assertThat(image.get("paid").getBOOL()).isTrue();
        assertThat(image.get("tags").getSS()).containsExactly("a");
        assertThat(image.get("raw").getB().remaining()).isEqualTo(2);
        assertThat(image.get("items").getL().getFirst().getM().get("sku").getS()).isEqualTo("x");
        assertThat(image.get("note").isNULL()).isTrue();
        assertThat(event.getDynamodb().getOldImage().get("status").getS()).isEqualTo("PENDING");
        assertThat(event.getDynamodb().getKeys()).containsOnlyKeys("orderId");
        assertThat(event.getDynamodb().getSequenceNumber()).isEqualTo("111");
        assertThat(event.getDynamodb().getSizeBytes()).isEqualTo(99L);
        assertThat(event.getDynamodb().getStreamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(event.getDynamodb().getApproximateCreationDateTime().toInstant()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
    }

    @Test
    void toJson_isTheShapeFilterPatternsSee() {
        var json = StreamRecords.toJson(record(), ARN);

        assertThat(json.at("/eventName").asText()).isEqualTo("MODIFY");
        assertThat(json.at("/dynamodb/NewImage/status/S").asText()).isEqualTo("PAID");
        assertThat(json.at("/dynamodb/NewImage/version/N").asText()).isEqualTo("2");
        assertThat(json.at("/dynamodb/NewImage/raw/B").asText()).isEqualTo("aGk=");
        assertThat(json.at("/dynamodb/Keys/orderId/S").asText()).isEqualTo("o-1");
        assertThat(json.at("/eventSourceARN").asText()).isEqualTo(ARN);
    }
}
