package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.ben.core.http.ErrorKind;
import dev.ben.core.http.HttpOutcome;
import dev.ben.core.model.Circuit;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.events.SampleEvents;
import dev.ben.sender.testing.UnitRig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** notify's isolation from bad endpoints: budget, rows first, circuit, malformed and disabled endpoints. */
class NotifyIsolationTest {

    private static final Endpoint GOOD = Endpoint.of("ep-good", "https://good.example.com/h", Set.of("order.paid"),
            List.of(UnitRig.SECRET));
    /** A receiver that never answers (the scripted sender waits until the request's deadline or a cut-off). */
    private static final Endpoint HANGING = Endpoint.of("ep-hanging", "https://hanging.example.com/h",
            Set.of("order.paid"), List.of(UnitRig.SECRET));

    private static List<DynamodbEvent.DynamodbStreamRecord> paid() {
        return SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class).getRecords();
    }

    private static StoredDelivery deliveryTo(UnitRig rig, String endpointId) {
        return deliveriesTo(rig, endpointId).getFirst();
    }

    private static List<StoredDelivery> deliveriesTo(UnitRig rig, String endpointId) {
        return rig.deliveries.items.values().stream().filter(d -> d.delivery().endpointId().equals(endpointId))
                .toList();
    }

    @Test
    void notify_whenASecretIsMalformed_failsThatDeliveryWithTheReason_andReportsNoRecord() {
        Endpoint bad = Endpoint.of("ep-bad", "https://bad.example.com/h", Set.of("order.paid"),
                List.of("whsec_not*base64!"));
        UnitRig rig = new UnitRig(GOOD, bad);

        List<String> reported = rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(reported).isEmpty();
        StoredDelivery failed = deliveryTo(rig, "ep-bad");
        assertThat(failed.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.delivery().lastError()).startsWith("endpoint ep-bad has a malformed signing secret")
                .contains("ben recover --endpoint ep-bad").doesNotContain("not*base64");
        assertThat(deliveryTo(rig, "ep-good").delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(rig.queue.deadLetters).hasSize(1);
        assertThat(rig.metric("malformedSecrets")).isEqualTo(1);
    }

    @Test
    void notify_whenTheEndpointIsDisabled_recordsACancelledDeliveryWithTheReason_andPostsNothing() {
        UnitRig rig = new UnitRig(GOOD.disabled("operator: maintenance"));

        List<String> reported = rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(reported).isEmpty();
        StoredDelivery cancelled = deliveryTo(rig, "ep-good");
        assertThat(cancelled.delivery().status()).isEqualTo(DeliveryStatus.CANCELLED);
        assertThat(cancelled.delivery().lastError()).contains("is disabled (operator: maintenance)")
                .contains("ben recover --endpoint ep-good");
        assertThat(cancelled.payload()).isNotNull();
        assertThat(rig.sender.sent).isEmpty();
        assertThat(rig.queue.sent).isEmpty();
    }

    @Test
    void notify_writesEveryDeliveryRowBeforeTheFirstPost() {
        Endpoint other = Endpoint.of("ep-other", "https://other.example.com/h", Set.of("order.paid"),
                List.of(UnitRig.SECRET));
        UnitRig rig = new UnitRig(GOOD, other);
        AtomicInteger rowsAtFirstPost = new AtomicInteger(-1);
        rig.sender.script(r -> {
            rowsAtFirstPost.compareAndSet(-1, rig.deliveries.items.size());
            return HttpOutcome.status(200, Duration.ofMillis(5));
        });

        rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(rowsAtFirstPost.get()).isEqualTo(2);
    }

    @Test
    void notify_whenTheBudgetIsUsedUp_defersTheDeliveryWithoutAnAttempt_andQueuesIt() {
        UnitRig rig = new UnitRig(GOOD);

        List<String> reported = rig.isolatedNotifyService(Duration.ZERO, 4).process(paid());

        assertThat(reported).isEmpty();
        StoredDelivery deferred = deliveryTo(rig, "ep-good");
        assertThat(deferred.delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(deferred.delivery().attempts()).isZero();
        assertThat(deferred.delivery().lastError()).contains("time budget");
        assertThat(rig.sender.sent).isEmpty();
        assertThat(rig.queue.sent).hasSize(1);
    }

    @Test
    void notify_givesTheSenderOnlyWhatIsLeftOfTheBudget() {
        UnitRig rig = new UnitRig(GOOD);

        rig.isolatedNotifyService(Duration.ofSeconds(2), 4).process(paid());

        assertThat(rig.sender.sent.getFirst().request().timeout()).isNotNull()
                .isLessThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void notify_whenTheCircuitIsOpen_parksTheDeliveryUntilItsRetryAt_withoutAnAttemptOrAQueueMessage() {
        Instant retryAt = Instant.parse("2026-11-29T22:05:00Z");
        Circuit open = new Circuit(Circuit.State.OPEN, retryAt, 0, Instant.parse("2026-11-29T21:59:00Z"), "HTTP 503");
        UnitRig rig = new UnitRig(GOOD.withCircuit(open));

        List<String> reported = rig.isolatedNotifyService(Duration.ofSeconds(3), 4).process(paid());

        assertThat(reported).isEmpty();
        StoredDelivery parked = deliveryTo(rig, "ep-good");
        assertThat(rig.sender.sent).isEmpty();
        assertThat(parked.delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(parked.delivery().parked()).isTrue();
        assertThat(parked.delivery().attempts()).isZero();
        assertThat(parked.delivery().lastError()).isEqualTo("parked: the circuit of endpoint ep-good is OPEN until "
                + retryAt + " (HTTP 503); sent once it closes");
        assertThat(parked.delivery().nextAttemptAt()).isEqualTo(retryAt);
        assertThat(parked.queueToken()).isEmpty();
        assertThat(rig.queue.sent).isEmpty();
        assertThat(rig.attempts.items).isEmpty();
        assertThat(rig.metric("parked")).isEqualTo(1);
    }

    @Test
    void notifyFast_whenTheCircuitIsOpen_createsTheDeliveryParked_withoutAQueueMessage() {
        Instant retryAt = Instant.parse("2026-11-29T22:05:00Z");
        Circuit open = new Circuit(Circuit.State.OPEN, retryAt, 0, Instant.parse("2026-11-29T21:59:00Z"), "HTTP 503");
        UnitRig rig = new UnitRig(GOOD.withCircuit(open));

        List<String> reported = rig.isolatedNotifyService(NotifyMode.FAST, Duration.ofSeconds(3), 4).process(paid());

        assertThat(reported).isEmpty();
        StoredDelivery parked = deliveryTo(rig, "ep-good");
        assertThat(parked.delivery().parked()).isTrue();
        assertThat(parked.delivery().attempts()).isZero();
        assertThat(parked.delivery().nextAttemptAt()).isEqualTo(retryAt);
        assertThat(parked.queueToken()).isEmpty();
        assertThat(rig.sender.sent).isEmpty();
        assertThat(rig.queue.sent).isEmpty();
    }

    @Test
    void notify_whenTheCircuitIsOpen_andTheParkedRowCannotBeWritten_reportsTheRecord() {
        Circuit open = new Circuit(Circuit.State.OPEN, Instant.parse("2026-11-29T22:05:00Z"), 0,
                Instant.parse("2026-11-29T21:59:00Z"), "HTTP 503");
        UnitRig rig = new UnitRig(GOOD.withCircuit(open));
        rig.deliveries.failNextTransition = true;

        List<String> reported = rig.isolatedNotifyService(Duration.ofSeconds(3), 4).process(paid());

        assertThat(reported).hasSize(1);
        assertThat(deliveryTo(rig, "ep-good").delivery().status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(rig.queue.sent).isEmpty();
    }

    @Test
    void notify_whenTheCircuitIsHalfOpen_parksTheDeliveryUntilTheProbesLeaseEnds() {
        Instant leaseEnd = Instant.parse("2026-11-29T22:00:30Z");
        Circuit probing = new Circuit(Circuit.State.HALF_OPEN, leaseEnd, 1, Instant.parse("2026-11-29T22:00:00Z"),
                "HTTP 503");
        UnitRig rig = new UnitRig(GOOD.withCircuit(probing));

        rig.isolatedNotifyService(Duration.ofSeconds(3), 4).process(paid());

        StoredDelivery parked = deliveryTo(rig, "ep-good");
        assertThat(parked.delivery().parked()).isTrue();
        assertThat(parked.delivery().nextAttemptAt()).isEqualTo(leaseEnd);
        assertThat(parked.delivery().lastError()).contains("is HALF_OPEN until " + leaseEnd);
        assertThat(rig.queue.sent).isEmpty();
    }

    @Test
    void notify_afterFiveFailures_opensTheCircuit_andParksTheNextDeliveries() {
        UnitRig rig = new UnitRig(GOOD);
        rig.sender.script(r -> HttpOutcome.status(503, Duration.ofMillis(5)));
        NotifyService notify = rig.isolatedNotifyService(Duration.ofSeconds(3), 4);
        for (int i = 0; i < 5; i++) {
            notify.process(paidAs("ord_" + i));
        }

        notify.process(paidAs("ord_6"));

        assertThat(rig.sender.sent).hasSize(5);
        assertThat(rig.endpoints.items.get("ep-good").circuit().state()).isEqualTo(Circuit.State.OPEN);
        assertThat(rig.metric("parked")).isEqualTo(1);
        assertThat(rig.queue.sent).hasSize(5);
    }

    @Test
    void notify_onceTheRestOfTheBatchIsDone_cutsTheStragglerOffAfterTheGrace_intoTheRetryQueue() {
        UnitRig rig = new UnitRig(GOOD, HANGING);
        rig.sender.hang(HANGING.url());
        long start = System.nanoTime();

        List<String> reported = rig.stragglerNotifyService(Duration.ofSeconds(8), Duration.ofMillis(300))
                .process(paid());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(reported).isEmpty();
        assertThat(deliveryTo(rig, "ep-good").delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
        StoredDelivery cut = deliveryTo(rig, "ep-hanging");
        assertThat(cut.delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(cut.delivery().attempts()).isEqualTo(1);
        assertThat(cut.delivery().lastError()).startsWith(ErrorKind.CUT_OFF.name()).contains("straggler grace");
        assertThat(rig.queue.sent).hasSize(1);
        assertThat(rig.metric("stragglersCutOff")).isEqualTo(1);
    }

    @Test
    void notify_afterCuttingOffAStraggler_defersItsNextDeliveriesToRetry_withoutWaitingForIt() {
        UnitRig rig = new UnitRig(GOOD, HANGING);
        rig.sender.hang(HANGING.url());
        NotifyService notify = rig.stragglerNotifyService(Duration.ofSeconds(8), Duration.ofMillis(500));
        notify.process(paidAs("ord_1"));
        long start = System.nanoTime();

        notify.process(paidAs("ord_2"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));
        assertThat(rig.sender.sent.stream().filter(s -> s.request().url().equals(HANGING.url()))).hasSize(1);
        List<StoredDelivery> toHanging = deliveriesTo(rig, "ep-hanging");
        assertThat(toHanging).hasSize(2);
        assertThat(toHanging).filteredOn(d -> d.delivery().attempts() == 0).singleElement()
                .satisfies(d -> assertThat(d.delivery().status()).isEqualTo(DeliveryStatus.RETRYING))
                .satisfies(d -> assertThat(d.delivery().lastError()).contains("cut off as a straggler"));
        assertThat(rig.queue.sent).hasSize(2);
        assertThat(rig.metric("stragglerDeferred")).isEqualTo(1);
        assertThat(deliveriesTo(rig, "ep-good")).allSatisfy(d -> assertThat(d.delivery().status())
                .isEqualTo(DeliveryStatus.DELIVERED));
    }

    @Test
    void notify_cuttingOffTheSameStragglerAgainOnceItsWindowPassed_leavesItsCircuitClosed() {
        UnitRig rig = new UnitRig(GOOD, HANGING);
        rig.sender.hang(HANGING.url());
        NotifyService notify = rig.stragglerNotifyService(Duration.ofSeconds(8), Duration.ofMillis(100));
        notify.process(paidAs("ord_1"));
        rig.clock.advance(RecentStragglers.FOR.plusSeconds(1));

        notify.process(paidAs("ord_2"));

        // slower than its batch is not unavailable: only the retry function's full-timeout attempts open it
        assertThat(rig.endpoints.items.get("ep-hanging").circuit().state()).isEqualTo(Circuit.State.CLOSED);
        assertThat(rig.sender.sent.stream().filter(s -> s.request().url().equals(HANGING.url()))).hasSize(2);
        assertThat(rig.metric("stragglersCutOff")).isEqualTo(2);
    }

    @Test
    void notify_whenNothingOfTheBatchHasFinished_waitsUntilTheBudget_insteadOfCuttingOff() {
        UnitRig rig = new UnitRig(HANGING);
        rig.sender.hang(HANGING.url());

        rig.stragglerNotifyService(Duration.ofMillis(900), Duration.ofMillis(100)).process(paid());

        StoredDelivery timedOut = deliveryTo(rig, "ep-hanging");
        assertThat(timedOut.delivery().lastError()).startsWith(ErrorKind.TIMEOUT.name());
        assertThat(rig.metric("stragglersCutOff")).isZero();
    }

    /** The sample MODIFY record, as another order (its own stream event id, so its own delivery). */
    private static List<DynamodbEvent.DynamodbStreamRecord> paidAs(String orderId) {
        var records = paid();
        var record = records.getFirst();
        record.setEventID(record.getEventID() + "-" + orderId);
        return records;
    }
}
