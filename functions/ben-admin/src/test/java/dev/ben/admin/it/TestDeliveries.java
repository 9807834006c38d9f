package dev.ben.admin.it;

import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Event;
import dev.ben.core.model.EventIds;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.sender.internal.aws.DynamoDbDeliveryStore;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Deliveries written as the sender leaves them (the tests' arrangement): terminal, with their payload stored. */
final class TestDeliveries {

    private final DynamoDbDeliveryStore store;

    TestDeliveries(ApiStack stack) {
        this.store = new DynamoDbDeliveryStore(stack.aws.dynamoDb(), stack.table(BenSettings.DELIVERIES_TABLE),
                Duration.ofDays(1));
    }

    DynamoDbDeliveryStore store() {
        return store;
    }

    /** A delivery whose retries ran out. */
    StoredDelivery failed(String tenant, String endpointId, String type, Instant createdAt) {
        return terminal(DeliveryStatus.FAILED, tenant, endpointId, type, createdAt);
    }

    StoredDelivery terminal(DeliveryStatus status, String tenant, String endpointId, String type, Instant createdAt) {
        String eventId = EventIds.eventId("api-test", UUID.randomUUID().toString());
        Event event = new Event(eventId, type, "api-test", "inv-" + UUID.randomUUID(), tenant, Event.NO_VERSION, "",
                createdAt, "{\"type\":\"" + type + "\",\"id\":\"" + eventId + "\"}", "");
        Delivery pending = Delivery.pending(event, endpointId, createdAt);
        int code = status == DeliveryStatus.DELIVERED ? 200 : 500;
        Delivery done = pending.withStatus(status, 3, null, code, code == 200 ? "" : "HTTP 500", createdAt);
        StoredDelivery stored = StoredDelivery.of(event, done, "");
        store.createIfAbsent(stored);
        return stored;
    }
}
