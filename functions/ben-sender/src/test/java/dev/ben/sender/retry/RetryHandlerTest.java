package dev.ben.sender.retry;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ben.events.SampleEvents;
import dev.ben.sender.testing.UnitRig;
import org.junit.jupiter.api.Test;

class RetryHandlerTest {

    private final UnitRig rig = new UnitRig();

    @Test
    void handler_withTheSampleMessageForAnUnknownDelivery_acknowledgesItAndDeadLettersIt() {
        var handler = new RetryHandler(rig.retryService(), rig.telemetry, () -> { });

        var response = handler.handleRequest(SampleEvents.load(SampleEvents.SQS_RETRY, SQSEvent.class), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(rig.queue.deadLetters).containsExactly("raw: unknown delivery " + SampleEvents.DELIVERY_ID);
    }

    @Test
    void handler_whenTheStoreThrows_keepsTheMessage() {
        var handler = new RetryHandler(new dev.ben.sender.internal.RetryService(
                new dev.ben.sender.testing.InMemoryStores.Deliveries() {
                    @Override
                    public java.util.Optional<dev.ben.sender.internal.StoredDelivery> find(String id) {
                        throw new IllegalStateException("throttled");
                    }
                }, rig.endpoints, new dev.ben.sender.internal.UrlEndpoints(rig.tenants), rig.queue, rig.runner(),
                rig.telemetry), rig.telemetry, () -> { });

        var response = handler.handleRequest(SampleEvents.load(SampleEvents.SQS_RETRY, SQSEvent.class), null);

        assertThat(response.getBatchItemFailures()).extracting(f -> f.getItemIdentifier())
                .containsExactly("5fea7756-0ea4-451a-a703-a558b933e274");
    }
}
