package dev.ben.events;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The sample events of {@code events/} (the files {@code sam local invoke -e} uses), for handler tests.
 *
 * <pre>{@code
 * DynamodbEvent event = SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class);
 * }</pre>
 *
 * <p>Deserialisation goes through {@code aws-lambda-java-serialization}, the library the Lambda Java runtime
 * uses for the same classes, so a handler sees what it would see in AWS.
 */
public final class SampleEvents {

    /** DynamoDB stream: a new order (PENDING, version 1). {@code DynamodbEvent} */
    public static final String STREAM_INSERT = "stream-insert.json";
    /** DynamoDB stream: order ord_1001 PENDING v1 → PAID v2 (NEW_AND_OLD_IMAGES). {@code DynamodbEvent} */
    public static final String STREAM_MODIFY_PAID = "stream-modify-paid.json";
    /** DynamoDB stream: order deleted (old image only). {@code DynamodbEvent} */
    public static final String STREAM_REMOVE = "stream-remove.json";
    /** SQS retry message {@code {"deliveryId":"dlv_..."}}, second receive. {@code SQSEvent} */
    public static final String SQS_RETRY = "sqs-retry.json";
    /** EventBridge schedule for the sweeper. {@code ScheduledEvent} */
    public static final String SCHEDULE_SWEEPER = "schedule-sweeper.json";
    /** EventBridge schedule for reconcile. {@code ScheduledEvent} */
    public static final String SCHEDULE_RECONCILE = "schedule-reconcile.json";
    /** HTTP API v2: signed order.paid webhook to the receiver. {@code APIGatewayV2HTTPEvent} */
    public static final String HTTP_RECEIVER_WEBHOOK = "http-receiver-webhook.json";
    /** HTTP API v2: {@code GET /entities/ord_1001/events}, IAM caller. {@code APIGatewayV2HTTPEvent} */
    public static final String HTTP_STATUS_ENTITY_EVENTS = "http-status-entity-events.json";
    /** HTTP API v2: {@code GET /events/{id}?tenant=merchant-42}, IAM caller. {@code APIGatewayV2HTTPEvent} */
    public static final String HTTP_STATUS_EVENT = "http-status-event.json";
    /** HTTP API v2: {@code GET /deliveries/{id}} with an IAM authorizer context. {@code APIGatewayV2HTTPEvent} */
    public static final String HTTP_STATUS_DELIVERY = "http-status-delivery.json";

    /**
     * HTTP API v2: management API {@code POST /v1/tenants} with an {@code Idempotency-Key}, IAM caller.
     * {@code APIGatewayV2HTTPEvent}
     */
    public static final String HTTP_MANAGEMENT_CREATE_TENANT = "http-management-create-tenant.json";
    /**
     * HTTP API v2: management API {@code GET /v1/tenants/merchant-42/deliveries?status=FAILED&limit=10}, IAM caller.
     * {@code APIGatewayV2HTTPEvent}
     */
    public static final String HTTP_MANAGEMENT_LIST_DELIVERIES = "http-management-list-deliveries.json";

    /** Every sample event file. */
    public static final List<String> ALL = List.of(STREAM_INSERT, STREAM_MODIFY_PAID, STREAM_REMOVE, SQS_RETRY,
            SCHEDULE_SWEEPER, SCHEDULE_RECONCILE, HTTP_RECEIVER_WEBHOOK, HTTP_STATUS_ENTITY_EVENTS, HTTP_STATUS_EVENT,
            HTTP_STATUS_DELIVERY, HTTP_MANAGEMENT_CREATE_TENANT, HTTP_MANAGEMENT_LIST_DELIVERIES);

    /**
     * Classpath resource of the orders demo's declaration ({@code examples/orders/ben.json}, packed into this jar):
     * the declaration the stream samples above are about.
     */
    public static final String DEMO_DECLARATION = "/examples/orders/ben.json";
    /** The demo declaration's source (the orders table's logical name). */
    public static final String DEMO_SOURCE = "orders";

    /** Signing secret of {@link #HTTP_RECEIVER_WEBHOOK} (a sample value: never use it anywhere real). */
    public static final String RECEIVER_SECRET = "whsec_YmVuLXNhbXBsZS1ldmVudHMtc2lnbmluZy1rZXktMzI=";
    /** {@code webhook-timestamp} of {@link #HTTP_RECEIVER_WEBHOOK}: give the receiver a clock near this. */
    public static final Instant WEBHOOK_TIMESTAMP = Instant.ofEpochSecond(1795989602L);
    /** The order every sample is about. */
    public static final String ORDER_ID = "ord_1001";
    /** The delivery of {@link #SQS_RETRY} and {@link #HTTP_STATUS_DELIVERY}. */
    public static final String DELIVERY_ID = "dlv_6c4a1f0e2b9d4e8f";
    /** The event id ({@code webhook-id}) of {@link #HTTP_RECEIVER_WEBHOOK}. */
    public static final String EVENT_ID = "evt_7f3c9b2a61d84e05";

    private SampleEvents() {
    }

    /** The JSON of the orders demo's declaration (for {@code BEN_DECLARATION} in tests). */
    public static String demoDeclarationJson() {
        try (InputStream in = SampleEvents.class.getResourceAsStream(DEMO_DECLARATION)) {
            if (in == null) {
                throw new IllegalStateException("no " + DEMO_DECLARATION + " on the classpath (ben-events packs it)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + DEMO_DECLARATION, e);
        }
    }

    /** A sample event as the Lambda Java runtime would deserialise it into {@code type}. */
    public static <T> T load(String name, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, SampleEvents.class.getClassLoader());
        try (InputStream in = open(name)) {
            return serializer.fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read sample event " + name, e);
        }
    }

    /** The raw JSON of a sample event. */
    public static String json(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read sample event " + name, e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = SampleEvents.class.getResourceAsStream("/events/" + name);
        if (in == null) {
            throw new IllegalArgumentException("No sample event '" + name + "' on the classpath; known: " + ALL
                    + " (add dev.ben:ben-events as a test dependency)");
        }
        return in;
    }
}
