package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.ben.core.model.Event;
import dev.ben.events.SampleEvents;
import dev.ben.sender.testing.UnitRig;
import dev.ben.settings.declaration.Declaration;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventMapperTest {

    private static final Instant NOW = Instant.parse("2026-11-29T23:00:00Z");
    private static final String INVOICES_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/prod-invoices/stream/x";

    private final EventMapper demo = new EventMapper(UnitRig.demoDeclaration(), Map.of());

    /** A composite-key table without version attribute; tenant per record; a per-record URL rule. */
    static final Declaration INVOICES = Declaration.parse("""
            {"sources": [{
              "name": "invoices", "table": "prod-invoices",
              "partitionKey": {"name": "tenantId", "type": "S"}, "sortKey": {"name": "invoiceNo", "type": "N"},
              "rules": [
                {"eventType": "invoice.Settled", "when": {"attribute": "settled", "becomes": true},
                 "tenant": "tenantId", "payload": {"attributes": ["invoiceNo", "settled", "amount"]}},
                {"eventType": "invoice.state", "on": ["INSERT", "MODIFY", "REMOVE"],
                 "when": {"attribute": "state", "changes": true}, "payload": "newImage"},
                {"eventType": "invoice.callback", "when": {"attribute": "state", "becomes": 3},
                 "tenant": "tenantId", "notifyUrl": "notifyUrl", "payload": {"attributes": ["state"]}}
              ]}]}""");

    private final EventMapper invoices = new EventMapper(INVOICES, Map.of());

    private static DynamodbStreamRecord sample(String name) {
        return SampleEvents.load(name, DynamodbEvent.class).getRecords().getFirst();
    }

    @Test
    void map_whenStatusBecomesPaid_emitsOrderPaidWithTheContractPayload() {
        var mapped = demo.map(sample(SampleEvents.STREAM_MODIFY_PAID), NOW);

        assertThat(mapped).isInstanceOf(EventMapper.Mapped.Events.class);
        var event = ((EventMapper.Mapped.Events) mapped).events().getFirst();
        assertThat(event.type()).isEqualTo("order.paid");
        assertThat(event.id()).startsWith("evt_");
        assertThat(event.source()).isEqualTo("orders");
        assertThat(event.entityId()).isEqualTo("ord_1001");
        assertThat(event.version()).isEqualTo(2);
        assertThat(event.sequence()).isEqualTo("200000000000000000002");
        assertThat(event.tenantId()).isEmpty();
        assertThat(event.payload()).isEqualTo("{\"type\":\"order.paid\",\"id\":\"" + event.id()
                + "\",\"timestamp\":\"2026-11-29T22:00:00Z\",\"entityId\":\"ord_1001\",\"version\":2,"
                + "\"sequence\":\"200000000000000000002\",\"data\":{\"orderId\":\"ord_1001\",\"status\":\"PAID\","
                + "\"version\":2,\"amount\":4999,\"currency\":\"EUR\"}}");
    }

    @Test
    void map_eventId_isTheSameAsBeforeTheDeclaration_forTheDemo() {
        var event = ((EventMapper.Mapped.Events) demo.map(sample(SampleEvents.STREAM_MODIFY_PAID), NOW)).events()
                .getFirst();

        assertThat(event.id()).isEqualTo(dev.ben.core.model.EventIds.eventId("orders#order.paid",
                "c81e728d9d4c2f636f067f89cc14862c"));
    }

    @Test
    void map_sameRecordTwice_yieldsTheSameIdAndBytes() {
        var first = (EventMapper.Mapped.Events) demo.map(sample(SampleEvents.STREAM_MODIFY_PAID), NOW);
        var second = (EventMapper.Mapped.Events) demo.map(sample(SampleEvents.STREAM_MODIFY_PAID), NOW.plusSeconds(60));

        assertThat(second.events()).isEqualTo(first.events());
    }

    @Test
    void map_insertOfPendingOrderAndRemove_areIgnored() {
        assertThat(demo.map(sample(SampleEvents.STREAM_INSERT), NOW)).isInstanceOf(EventMapper.Mapped.Ignored.class);
        assertThat(demo.map(sample(SampleEvents.STREAM_REMOVE), NOW)).isInstanceOf(EventMapper.Mapped.Ignored.class);
    }

    @Test
    void map_whenOldImageWasAlreadyPaid_isIgnored() {
        var record = sample(SampleEvents.STREAM_MODIFY_PAID);
        record.getDynamodb().getOldImage().put("status", new AttributeValue().withS("PAID"));

        assertThat(demo.map(record, NOW)).isInstanceOf(EventMapper.Mapped.Ignored.class);
    }

    @Test
    void map_unknownTable_isMalformedNamingTheTable() {
        var record = sample(SampleEvents.STREAM_MODIFY_PAID);
        record.setEventSourceARN("arn:aws:dynamodb:us-east-1:123456789012:table/invoices/stream/x");

        var mapped = demo.map(record, NOW);

        assertThat(((EventMapper.Mapped.Malformed) mapped).reason())
                .contains("no source of the declaration reads table 'invoices'").contains("BEN_DECLARATION");
    }

    @Test
    void map_physicalTableOverride_findsTheSourceUnderItsDeployedName() {
        var mapper = new EventMapper(UnitRig.demoDeclaration(), Map.of("orders", "Ben-OrdersTable-XYZ"));
        var record = sample(SampleEvents.STREAM_MODIFY_PAID);
        record.setEventSourceARN("arn:aws:dynamodb:us-east-1:123456789012:table/Ben-OrdersTable-XYZ/stream/x");

        assertThat(mapper.map(record, NOW)).isInstanceOf(EventMapper.Mapped.Events.class);
    }

    @Test
    void map_missingOrNonNumericVersion_isMalformedWithReason() {
        var missing = sample(SampleEvents.STREAM_MODIFY_PAID);
        missing.getDynamodb().getNewImage().remove("version");
        var text = sample(SampleEvents.STREAM_MODIFY_PAID);
        text.getDynamodb().getNewImage().put("version", new AttributeValue().withN("2.5"));

        assertThat(((EventMapper.Mapped.Malformed) demo.map(missing, NOW)).reason()).contains("'version'");
        assertThat(((EventMapper.Mapped.Malformed) demo.map(text, NOW)).reason()).contains("not an integer");
    }

    @Test
    void map_withoutNewImageOrArn_isMalformed() {
        var noImage = sample(SampleEvents.STREAM_MODIFY_PAID);
        noImage.getDynamodb().setNewImage(null);
        var noArn = sample(SampleEvents.STREAM_MODIFY_PAID);
        noArn.setEventSourceARN(null);

        assertThat(((EventMapper.Mapped.Malformed) demo.map(noImage, NOW)).reason()).contains("NewImage");
        assertThat(((EventMapper.Mapped.Malformed) demo.map(noArn, NOW)).reason()).contains("eventSourceARN");
        assertThat(demo.map(null, NOW)).isInstanceOf(EventMapper.Mapped.Malformed.class);
    }

    @Test
    void map_modifyWithoutOldImage_whenDeclaredNewAndOld_isMalformed_notAFalseBecomes() {
        var record = sample(SampleEvents.STREAM_MODIFY_PAID);
        record.getDynamodb().setOldImage(null);

        assertThat(((EventMapper.Mapped.Malformed) demo.map(record, NOW)).reason()).contains("no OldImage")
                .contains("NEW_AND_OLD_IMAGES");
    }

    @Test
    void map_compositeKeyWithoutVersion_givesPipedEntityId_tenant_andSequence() {
        var record = invoice("MODIFY", Map.of("tenantId", s("tenant-a"), "invoiceNo", n("7"), "settled", bool(false),
                "amount", n("120.50")), Map.of("tenantId", s("tenant-a"), "invoiceNo", n("7"), "settled", bool(true),
                "amount", n("120.50")));

        Event event = single(invoices.map(record, NOW));

        assertThat(event.type()).isEqualTo("invoice.Settled");
        assertThat(event.entityId()).isEqualTo("tenant-a|7");
        assertThat(event.tenantId()).isEqualTo("tenant-a");
        assertThat(event.hasVersion()).isFalse();
        assertThat(event.payload()).isEqualTo("{\"type\":\"invoice.Settled\",\"id\":\"" + event.id()
                + "\",\"timestamp\":\"2026-11-29T22:00:00Z\",\"entityId\":\"tenant-a|7\",\"tenantId\":\"tenant-a\","
                + "\"sequence\":\"400000000000000000042\",\"data\":{\"invoiceNo\":7,\"settled\":true,\"amount\":120.50}}");
    }

    @Test
    void map_severalRulesMatchingOneRecord_giveOneEventEach_withDistinctIds() {
        var record = invoice("INSERT", null, Map.of("tenantId", s("tenant-b"), "invoiceNo", n("8"),
                "settled", bool(true), "state", n("3"), "notifyUrl", s("https://pay.b.example/notify")));

        var events = ((EventMapper.Mapped.Events) invoices.map(record, NOW)).events();

        assertThat(events).extracting(Event::type).containsExactly("invoice.Settled", "invoice.state",
                "invoice.callback");
        assertThat(events).extracting(Event::id).doesNotHaveDuplicates();
        assertThat(events.get(1).tenantId()).as("rule without tenant attribute").isEmpty();
        assertThat(events.get(2).notifyUrl()).isEqualTo("https://pay.b.example/notify");
        assertThat(events.get(0).notifyUrl()).isEmpty();
    }

    @Test
    void map_remove_usesTheOldImageForPayloadAndKeys() {
        var record = invoice("REMOVE", Map.of("tenantId", s("tenant-a"), "invoiceNo", n("9"), "state", n("2")), null);

        Event event = single(invoices.map(record, NOW));

        assertThat(event.type()).isEqualTo("invoice.state");
        assertThat(event.entityId()).isEqualTo("tenant-a|9");
        assertThat(event.payload()).contains("\"data\":{").contains("\"tenantId\":\"tenant-a\"")
                .contains("\"invoiceNo\":9").contains("\"state\":2}");
    }

    @Test
    void map_missingOrOddTenant_isMalformed_neverDeliveredToEverybody() {
        var missing = invoice("INSERT", null, Map.of("tenantId", s("tenant-a"), "invoiceNo", n("1"),
                "settled", bool(true)));
        missing.getDynamodb().getNewImage().remove("tenantId");
        var odd = invoice("INSERT", null, Map.of("tenantId", s("has space"), "invoiceNo", n("1"),
                "settled", bool(true)));
        var list = invoice("INSERT", null, Map.of("tenantId", s("x"), "invoiceNo", n("1"), "settled", bool(true)));
        list.getDynamodb().getNewImage().put("tenantId", new AttributeValue().withL(List.of(s("a"))));

        assertThat(((EventMapper.Mapped.Malformed) invoices.map(missing, NOW)).reason())
                .contains("'tenantId' (tenant) is missing or not a string or number");
        assertThat(((EventMapper.Mapped.Malformed) invoices.map(odd, NOW)).reason()).contains("tenant id 'has space'");
        assertThat(((EventMapper.Mapped.Malformed) invoices.map(list, NOW)).reason()).contains("(tenant) is missing");
    }

    @Test
    void map_keyOfTheWrongType_isMalformedNamingTheDeclaration() {
        var record = invoice("INSERT", null, Map.of("tenantId", s("tenant-a"), "invoiceNo", s("seven"),
                "settled", bool(true)));

        assertThat(((EventMapper.Mapped.Malformed) invoices.map(record, NOW)).reason())
                .contains("key attribute 'invoiceNo' is missing or not of type N");
    }

    @Test
    void map_missingNotifyUrl_isMalformed() {
        var record = invoice("INSERT", null, Map.of("tenantId", s("tenant-a"), "invoiceNo", n("1"), "state", n("3")));

        assertThat(((EventMapper.Mapped.Malformed) invoices.map(record, NOW)).reason())
                .contains("'notifyUrl' (notify URL) is missing");
    }

    @Test
    void map_kindNoRuleListensTo_isIgnoredWithoutLookingAtImages() {
        var mapper = new EventMapper(UnitRig.demoDeclaration(), Map.of());
        var record = sample(SampleEvents.STREAM_REMOVE);
        record.getDynamodb().setOldImage(null);

        assertThat(mapper.map(record, NOW)).isInstanceOf(EventMapper.Mapped.Ignored.class);
    }

    @Test
    void map_newImagePayload_writesEveryDynamoDbTypeAsJson() {
        Map<String, AttributeValue> nested = new LinkedHashMap<>();
        nested.put("city", s("Lyon"));
        nested.put("floor", n("3"));
        nested.put("lift", bool(false));
        Map<String, AttributeValue> image = new HashMap<>(Map.of("tenantId", s("tenant-a"), "invoiceNo", n("7"),
                "state", n("1")));
        image.put("paidFlag", bool(true));
        image.put("note", new AttributeValue().withNULL(true));
        image.put("address", new AttributeValue().withM(nested));
        image.put("lines", new AttributeValue().withL(List.of(s("a"), n("2.50"), bool(true),
                new AttributeValue().withNULL(true), new AttributeValue().withL(List.of(n("-1"))))));
        image.put("tags", new AttributeValue().withSS(List.of("blue", "green")));
        image.put("scores", new AttributeValue().withNS(List.of("1", "2.5", "-3e2")));
        image.put("blob", new AttributeValue().withB(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff})));
        image.put("blobs", new AttributeValue().withBS(List.of(ByteBuffer.wrap(new byte[] {1}),
                ByteBuffer.wrap(new byte[] {2, 3}))));
        var record = invoice("INSERT", null, image);

        Event event = single(invoices.map(record, NOW));
        Event again = single(invoices.map(record, NOW));

        assertThat(event.payload())
                .contains("\"paidFlag\":true")
                .contains("\"note\":null")
                .contains("\"address\":{\"city\":\"Lyon\",\"floor\":3,\"lift\":false}")
                .contains("\"lines\":[\"a\",2.50,true,null,[-1]]")
                .contains("\"tags\":[\"blue\",\"green\"]")
                .contains("\"scores\":[1,2.5,-3e2]")
                .contains("\"blob\":\"AAEC/w==\"")
                .contains("\"blobs\":[\"AQ==\",\"AgM=\"]")
                .contains("\"invoiceNo\":7")
                .contains("\"tenantId\":\"tenant-a\"");
        assertThat(again.payload()).as("binary attributes are read without being consumed").isEqualTo(event.payload());
    }

    // ------------------------------------------------------------------ helpers

    private static Event single(EventMapper.Mapped mapped) {
        assertThat(mapped).isInstanceOf(EventMapper.Mapped.Events.class);
        return ((EventMapper.Mapped.Events) mapped).events().getFirst();
    }

    static DynamodbStreamRecord invoice(String kind, Map<String, AttributeValue> old,
                                                Map<String, AttributeValue> neu) {
        StreamRecord r = new StreamRecord();
        Map<String, AttributeValue> image = neu != null ? neu : old;
        r.setKeys(Map.of("tenantId", image.get("tenantId"), "invoiceNo", image.get("invoiceNo")));
        r.setNewImage(neu == null ? null : new HashMap<>(neu));
        r.setOldImage(old == null ? null : new HashMap<>(old));
        r.setSequenceNumber("400000000000000000042");
        r.setApproximateCreationDateTime(Date.from(Instant.parse("2026-11-29T22:00:00Z")));
        DynamodbStreamRecord record = new DynamodbStreamRecord();
        record.setEventID("ev-" + kind + "-" + image.get("invoiceNo").getN());
        record.setEventName(kind);
        record.setEventSourceARN(INVOICES_ARN);
        record.setDynamodb(r);
        return record;
    }

    static AttributeValue s(String v) {
        return new AttributeValue().withS(v);
    }

    static AttributeValue n(String v) {
        return new AttributeValue().withN(v);
    }

    static AttributeValue bool(boolean v) {
        return new AttributeValue().withBOOL(v);
    }
}
