package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.ben.core.http.HttpOutcome;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.events.SampleEvents;
import dev.ben.sender.testing.UnitRig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryServiceTest {

    private final UnitRig rig = new UnitRig();

    /** A delivery that failed its first attempt (RETRYING, token n1, due in 15 s). */
    private StoredDelivery retrying() {
        rig.sender.script(r -> HttpOutcome.status(503, Duration.ofMillis(2)));
        rig.notifyService(NotifyMode.SAFE).process(
                SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class).getRecords());
        return rig.deliveries.items.values().iterator().next();
    }

    private StoredDelivery current(StoredDelivery d) {
        return rig.deliveries.items.get(d.id());
    }

    @Test
    void retry_whenReceiverReturns503_reschedulesWithNextDelayAndKeepsTheMessage() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(15));

        var ack = rig.retryService().process("{\"deliveryId\":\"" + d.id() + "\"}", d.queueToken(), "rh");

        assertThat(ack).isEqualTo(RetryService.Ack.KEEP);
        assertThat(rig.queue.rescheduled).containsExactly(Duration.ofSeconds(30));
        assertThat(current(d).delivery().attempts()).isEqualTo(2);
        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
    }

    @Test
    void retry_whenReceiverRecovers_marksDeliveredAndDeletesTheMessage() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(15));
        rig.sender.script(r -> HttpOutcome.status(204, Duration.ofMillis(2)));

        var ack = rig.retryService().process(d.id(), d.queueToken(), "rh");

        assertThat(ack).isEqualTo(RetryService.Ack.DONE);
        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(rig.endpoints.items.get("ep-1").firstFailureAt()).isNull();
    }

    @Test
    void retry_whenTheScheduleIsUsedUp_failsWithTheReasonAndCopiesToTheDeadLetterQueue() {
        var d = retrying();
        for (int i = 0; i < 3; i++) {
            rig.clock.advance(Duration.ofMinutes(2));
            rig.retryService().process(d.id(), d.queueToken(), "rh");
        }

        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(current(d).delivery().attempts()).isEqualTo(4);
        assertThat(current(d).delivery().lastError()).startsWith("retries exhausted after 4 attempts");
        assertThat(rig.queue.deadLetters).singleElement().asString().contains("retries exhausted");
    }

    @Test
    void retry_whenTheMessageArrivesEarly_hidesItUntilDueWithoutAttempting() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(5));

        var ack = rig.retryService().process(d.id(), d.queueToken(), "rh");

        assertThat(ack).isEqualTo(RetryService.Ack.KEEP);
        assertThat(rig.queue.rescheduled).containsExactly(Duration.ofSeconds(10));
        assertThat(rig.sender.sent).hasSize(1);
    }

    @Test
    void retry_staleTokenOrTerminalDelivery_isAcknowledgedWithoutAttempting() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(15));

        assertThat(rig.retryService().process(d.id(), "s-older", "rh")).isEqualTo(RetryService.Ack.DONE);
        rig.sender.script(r -> HttpOutcome.status(200, Duration.ofMillis(2)));
        rig.retryService().process(d.id(), d.queueToken(), "rh");
        assertThat(rig.retryService().process(d.id(), d.queueToken(), "rh")).isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.sender.sent).hasSize(2);
    }

    @Test
    void retry_whenTheEndpointWasDisabled_failsTheDeliveryWithTheReason() {
        var d = retrying();
        rig.endpoints.disable("ep-1", "operator said so", rig.clock.instant());
        rig.clock.advance(Duration.ofSeconds(15));

        assertThat(rig.retryService().process(d.id(), d.queueToken(), "rh")).isEqualTo(RetryService.Ack.DONE);
        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(current(d).delivery().lastError()).contains("disabled: operator said so");
    }

    @Test
    void retry_whenTheEndpointHasOnlyFailedForFiveDays_disablesItAndFailsTheDelivery() {
        var d = retrying();
        assertThat(rig.endpoints.items.get("ep-1").firstFailureAt()).isEqualTo(rig.clock.instant());
        rig.clock.advance(Duration.ofDays(5));

        assertThat(rig.retryService().process(d.id(), d.queueToken(), "rh")).isEqualTo(RetryService.Ack.DONE);

        assertThat(rig.endpoints.items.get("ep-1").enabled()).isFalse();
        assertThat(rig.endpoints.items.get("ep-1").disabledReason()).contains("auto-disable after 5 days");
        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(current(d).delivery().lastError()).startsWith("endpoint disabled: only failures since");
    }

    @Test
    void retry_malformedOrUnknownMessages_goToTheDeadLetterQueueWithAReason() {
        assertThat(rig.retryService().process("not a delivery", "", "rh")).isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.retryService().process("{\"deliveryId\":\"dlv_6c4a1f0e2b9d4e8f\"}", "", "rh"))
                .isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.queue.deadLetters).containsExactly("raw: retry message body is not a delivery id (expected dlv_...)",
                "raw: unknown delivery dlv_6c4a1f0e2b9d4e8f");
    }

    @Test
    void sweeper_reenqueuesOverdueDeliveriesWithANewToken_soTheOldMessageIsDropped() {
        var d = retrying();
        rig.clock.advance(Duration.ofMinutes(4));

        var summary = rig.sweeperService().sweep();

        assertThat(summary).containsEntry("found", 1).containsEntry("reenqueued", 1);
        String token = current(d).queueToken();
        assertThat(token).startsWith("s").isNotEqualTo(d.queueToken());
        assertThat(rig.retryService().process(d.id(), d.queueToken(), "rh")).isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.sender.sent).hasSize(1);
        assertThat(rig.retryService().process(d.id(), token, "rh")).isEqualTo(RetryService.Ack.KEEP);
        assertThat(rig.sender.sent).hasSize(2);
        assertThat(rig.sweeperService().sweep()).containsEntry("found", 0);
    }
}
