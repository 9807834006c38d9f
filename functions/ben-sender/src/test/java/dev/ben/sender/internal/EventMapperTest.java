package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.ben.events.SampleEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventMapperTest {

    private static final Instant NOW = Instant.parse("2026-11-29T23:00:00Z");
    private final EventMapper mapper = new EventMapper(List.of(MappingRule.ordersPaid()), Map.of("orders", "orders"));

    private static DynamodbStreamRecord sample(String name) {
        return SampleEvents.load(name, DynamodbEvent.class).getRecords().getFirst();
    }

    @Test
    void map_whenStatusBecomesPaid_emitsOrderPaidWithTheContractPayload() {
        var mapped = mapper.map(sample(SampleEvents.STREAM_MODIFY_PAID), NOW);

        assertThat(mapped).isInstanceOf(EventMapper.Mapped.Events.class);
        var event = ((EventMapper.Mapped.Events) mapped).events().getFirst();
        assertThat(event.type()).isEqualTo("order.paid");
        assertThat(event.id()).startsWith("evt_");
        assertThat(event.entityId()).isEqualTo("ord_1001");
        assertThat(event.entityVersion()).isEqualTo(2);
        assertThat(event.payload()).isEqualTo("{\"type\":\"order.paid\",\"id\":\"" + event.id()
                + "\",\"timestamp\":\"2026-11-29T22:00:00Z\",\"data\":{\"orderId\":\"ord_1001\",\"status\":\"PAID\","
                + "\"version\":2,\"amount\":4999,\"currency\":\"EUR\"}}");
    }

    @Test
    void map_sameRecordTwice_yieldsTheSameIdAndBytes() {
        var first = (EventMapper.Mapped.Events) mapper.map(sample(SampleEvents.STREAM_MODIFY_PAID), NOW);
        var second = (EventMapper.Mapped.Events) mapper.map(sample(SampleEvents.STREAM_MODIFY_PAID), NOW.plusSeconds(60));

        assertThat(second.events()).isEqualTo(first.events());
    }

    @Test
    void map_insertOfPendingOrderAndRemove_areIgnored() {
        assertThat(mapper.map(sample(SampleEvents.STREAM_INSERT), NOW)).isInstanceOf(EventMapper.Mapped.Ignored.class);
        assertThat(mapper.map(sample(SampleEvents.STREAM_REMOVE), NOW)).isInstanceOf(EventMapper.Mapped.Ignored.class);
    }

    @Test
    void map_whenOldImageWasAlreadyPaid_isIgnored() {
        var record = sample(SampleEvents.STREAM_MODIFY_PAID);
        record.getDynamodb().getOldImage().put("status", new AttributeValue().withS("PAID"));

        assertThat(mapper.map(record, NOW)).isInstanceOf(EventMapper.Mapped.Ignored.class);
    }

    @Test
    void map_unknownTable_isMalformedNamingTheTable() {
        var record = sample(SampleEvents.STREAM_MODIFY_PAID);
        record.setEventSourceARN("arn:aws:dynamodb:us-east-1:123456789012:table/invoices/stream/x");

        var mapped = mapper.map(record, NOW);

        assertThat(mapped).isInstanceOf(EventMapper.Mapped.Malformed.class);
        assertThat(((EventMapper.Mapped.Malformed) mapped).reason()).contains("no mapping rule for table 'invoices'");
    }

    @Test
    void map_missingOrNonNumericVersion_isMalformedWithReason() {
        var missing = sample(SampleEvents.STREAM_MODIFY_PAID);
        missing.getDynamodb().getNewImage().remove("version");
        var text = sample(SampleEvents.STREAM_MODIFY_PAID);
        text.getDynamodb().getNewImage().put("version", new AttributeValue().withN("2.5"));

        assertThat(((EventMapper.Mapped.Malformed) mapper.map(missing, NOW)).reason()).contains("'version'");
        assertThat(((EventMapper.Mapped.Malformed) mapper.map(text, NOW)).reason()).contains("not an integer");
    }

    @Test
    void map_withoutNewImageOrArn_isMalformed() {
        var noImage = sample(SampleEvents.STREAM_MODIFY_PAID);
        noImage.getDynamodb().setNewImage(null);
        var noArn = sample(SampleEvents.STREAM_MODIFY_PAID);
        noArn.setEventSourceARN(null);

        assertThat(((EventMapper.Mapped.Malformed) mapper.map(noImage, NOW)).reason()).contains("NewImage");
        assertThat(((EventMapper.Mapped.Malformed) mapper.map(noArn, NOW)).reason()).contains("eventSourceARN");
        assertThat(mapper.map(null, NOW)).isInstanceOf(EventMapper.Mapped.Malformed.class);
    }

    @Test
    void mappingRule_parse_rejectsBadRulesWithTheExpectedForm() {
        var rules = MappingRule.parseAll("orders|orderId|status=SHIPPED|order.shipped|version|orderId,status");

        assertThat(rules.getFirst().eventType()).isEqualTo("order.shipped");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MappingRule.parseAll("orders|status"))
                .hasMessageContaining("expected table|entityKey|attribute=VALUE");
    }
}
