package dev.ben.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SampleEventsTest {

    @Test
    void all_listsEveryJsonFileOfTheEventsFolder() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("."))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")))
                    .containsExactlyInAnyOrderElementsOf(SampleEvents.ALL);
        }
    }

    @Test
    void streamModifyPaid_isAModifyFromPendingToPaidWithBothImages() {
        DynamodbEvent event = SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class);

        assertThat(event.getRecords()).hasSize(1);
        DynamodbEvent.DynamodbStreamRecord record = event.getRecords().get(0);
        assertThat(record.getEventName()).isEqualTo("MODIFY");
        assertThat(record.getEventSource()).isEqualTo("aws:dynamodb");
        assertThat(record.getEventSourceARN()).contains(":table/orders/stream/");
        StreamRecord stream = record.getDynamodb();
        assertThat(stream.getStreamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(stream.getKeys().get("orderId").getS()).isEqualTo(SampleEvents.ORDER_ID);
        assertThat(stream.getOldImage().get("status").getS()).isEqualTo("PENDING");
        assertThat(stream.getNewImage().get("status").getS()).isEqualTo("PAID");
        assertThat(stream.getNewImage().get("version").getN()).isEqualTo("2");
        assertThat(stream.getNewImage().get("amount").getN()).isEqualTo("4999");
        assertThat(stream.getNewImage().get("currency").getS()).isEqualTo("EUR");
        assertThat(stream.getNewImage().get("updatedAt").getS()).isEqualTo("2026-11-29T22:00:00Z");
        assertThat(stream.getApproximateCreationDateTime()).isNotNull();
        assertThat(stream.getSequenceNumber()).isNotBlank();
    }

    @Test
    void streamInsertAndRemove_carryTheRightImages() {
        DynamodbEvent.DynamodbStreamRecord insert = SampleEvents.load(SampleEvents.STREAM_INSERT, DynamodbEvent.class)
                .getRecords().get(0);
        DynamodbEvent.DynamodbStreamRecord remove = SampleEvents.load(SampleEvents.STREAM_REMOVE, DynamodbEvent.class)
                .getRecords().get(0);

        assertThat(insert.getEventName()).isEqualTo("INSERT");
        assertThat(insert.getDynamodb().getOldImage()).isNull();
        assertThat(insert.getDynamodb().getNewImage().get("status").getS()).isEqualTo("PENDING");
        assertThat(remove.getEventName()).isEqualTo("REMOVE");
        assertThat(remove.getDynamodb().getNewImage()).isNull();
        assertThat(remove.getDynamodb().getOldImage().get("orderId").getS()).isEqualTo(SampleEvents.ORDER_ID);
        assertThat(insert.getEventID()).isNotEqualTo(remove.getEventID());
    }

    @Test
    void sqsRetry_carriesTheDeliveryIdAndReceiveCount() {
        SQSEvent event = SampleEvents.load(SampleEvents.SQS_RETRY, SQSEvent.class);

        SQSEvent.SQSMessage message = event.getRecords().get(0);
        assertThat(message.getBody()).isEqualTo("{\"deliveryId\":\"" + SampleEvents.DELIVERY_ID + "\"}");
        assertThat(message.getEventSource()).isEqualTo("aws:sqs");
        assertThat(message.getEventSourceArn()).endsWith(":ben-retry");
        assertThat(message.getAttributes()).containsEntry("ApproximateReceiveCount", "2");
        assertThat(message.getReceiptHandle()).isNotBlank();
        assertThat(message.getMessageId()).isNotBlank();
    }

    @Test
    void schedules_areScheduledEventsOfTheirRules() {
        ScheduledEvent sweeper = SampleEvents.load(SampleEvents.SCHEDULE_SWEEPER, ScheduledEvent.class);
        ScheduledEvent reconcile = SampleEvents.load(SampleEvents.SCHEDULE_RECONCILE, ScheduledEvent.class);

        assertThat(sweeper.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(sweeper.getSource()).isEqualTo("aws.events");
        assertThat(sweeper.getResources()).singleElement().asString().endsWith(":rule/ben-sweeper");
        assertThat(sweeper.getTime()).isNotNull();
        assertThat(reconcile.getResources()).singleElement().asString().endsWith(":rule/ben-reconcile");
    }

    @Test
    void receiverWebhook_isSignedWithTheSampleSecretPerStandardWebhooks() throws Exception {
        APIGatewayV2HTTPEvent event = SampleEvents.load(SampleEvents.HTTP_RECEIVER_WEBHOOK,
                APIGatewayV2HTTPEvent.class);

        assertThat(event.getRouteKey()).isEqualTo("POST /webhooks/orders");
        assertThat(event.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
        assertThat(event.getIsBase64Encoded()).isFalse();
        String id = event.getHeaders().get("webhook-id");
        String timestamp = event.getHeaders().get("webhook-timestamp");
        assertThat(id).isEqualTo(SampleEvents.EVENT_ID);
        assertThat(timestamp).isEqualTo(Long.toString(SampleEvents.WEBHOOK_TIMESTAMP.getEpochSecond()));
        byte[] key = Base64.getDecoder().decode(SampleEvents.RECEIVER_SECRET.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal((id + "." + timestamp + "." + event.getBody()).getBytes(StandardCharsets.UTF_8)));
        assertThat(event.getHeaders().get("webhook-signature")).isEqualTo(expected);
        assertThat(event.getBody()).contains("\"type\":\"order.paid\"", "\"id\":\"" + id + "\"",
                "\"orderId\":\"" + SampleEvents.ORDER_ID + "\"", "\"status\":\"PAID\"", "\"version\":2");
    }

    @Test
    void statusApiRequests_carryPathParametersAndAnIamAuthorizer() {
        APIGatewayV2HTTPEvent order = SampleEvents.load(SampleEvents.HTTP_STATUS_ENTITY_EVENTS,
                APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPEvent event = SampleEvents.load(SampleEvents.HTTP_STATUS_EVENT, APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPEvent delivery = SampleEvents.load(SampleEvents.HTTP_STATUS_DELIVERY,
                APIGatewayV2HTTPEvent.class);

        assertThat(order.getRouteKey()).isEqualTo("GET /entities/{entityId}/events");
        assertThat(order.getRawPath()).isEqualTo("/entities/" + SampleEvents.ORDER_ID + "/events");
        assertThat(order.getPathParameters()).containsEntry("entityId", SampleEvents.ORDER_ID);
        assertThat(event.getRouteKey()).isEqualTo("GET /events/{eventId}");
        assertThat(event.getPathParameters()).containsEntry("eventId", SampleEvents.EVENT_ID);
        assertThat(event.getQueryStringParameters()).containsEntry("tenant", "merchant-42");
        assertThat(event.getRequestContext().getAuthorizer().getIam()).isNotNull();
        assertThat(order.getRequestContext().getAuthorizer().getIam().getUserArn()).contains(":assumed-role/");
        assertThat(order.getRequestContext().getAuthorizer().getIam().getAccountId()).isEqualTo("123456789012");
        assertThat(delivery.getRouteKey()).isEqualTo("GET /deliveries/{deliveryId}");
        assertThat(delivery.getPathParameters()).containsEntry("deliveryId", SampleEvents.DELIVERY_ID);
        assertThat(delivery.getRequestContext().getAuthorizer().getIam()).isNotNull();
    }

    @Test
    void managementApiRequests_carryTheirRouteBodyAndAnIamAuthorizer() {
        APIGatewayV2HTTPEvent create = SampleEvents.load(SampleEvents.HTTP_MANAGEMENT_CREATE_TENANT,
                APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPEvent list = SampleEvents.load(SampleEvents.HTTP_MANAGEMENT_LIST_DELIVERIES,
                APIGatewayV2HTTPEvent.class);

        assertThat(create.getRouteKey()).isEqualTo("POST /v1/tenants");
        assertThat(create.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
        assertThat(create.getBody()).contains("\"tenantId\":\"merchant-42\"");
        assertThat(create.getHeaders()).containsEntry("idempotency-key", "onboard-merchant-42")
                .containsEntry("content-length", Integer.toString(create.getBody().length()));
        assertThat(create.getRequestContext().getAuthorizer().getIam()).isNotNull();
        assertThat(list.getRouteKey()).isEqualTo("GET /v1/tenants/{tenantId}/deliveries");
        assertThat(list.getPathParameters()).containsEntry("tenantId", "merchant-42");
        assertThat(list.getQueryStringParameters()).containsEntry("status", "FAILED").containsEntry("limit", "10");
        assertThat(list.getRawQueryString()).isEqualTo("status=FAILED&limit=10");
        assertThat(list.getRequestContext().getAuthorizer().getIam()).isNotNull();
    }

    @Test
    void demoDeclaration_isPacked_andNamesTheTableOfTheStreamSamples() {
        String json = SampleEvents.demoDeclarationJson();

        assertThat(json).contains("\"name\": \"" + SampleEvents.DEMO_SOURCE + "\"", "\"order.paid\"");
    }

    @Test
    void load_unknownName_saysWhichExist() {
        assertThatThrownBy(() -> SampleEvents.load("nope.json", SQSEvent.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(SampleEvents.SQS_RETRY);
    }
}
