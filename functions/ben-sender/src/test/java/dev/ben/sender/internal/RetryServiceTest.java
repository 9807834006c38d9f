package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.ben.core.http.HttpOutcome;
import dev.ben.core.model.Attempt;
import dev.ben.core.model.Circuit;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Event;
import dev.ben.core.model.EventIds;
import dev.ben.events.SampleEvents;
import dev.ben.sender.testing.InMemoryStores.Queue.Sent;
import dev.ben.sender.testing.UnitRig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
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
    void retry_whenReceiverReturns503_sendsTheNextMessageWithTheNextDelay_andAcknowledgesThisOne() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(15));

        var ack = rig.retryService().process("{\"deliveryId\":\"" + d.id() + "\"}", d.queueToken());

        assertThat(ack).as("a waiting retry is a delayed message, not an in-flight one").isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.queue.sent.getLast()).isEqualTo(new Sent(d.id(), d.queueToken(), Duration.ofSeconds(30)));
        assertThat(current(d).delivery().attempts()).isEqualTo(2);
        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
    }

    @Test
    void retry_whenReceiverRecovers_marksDeliveredAndDeletesTheMessage() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(15));
        rig.sender.script(r -> HttpOutcome.status(204, Duration.ofMillis(2)));

        var ack = rig.retryService().process(d.id(), d.queueToken());

        assertThat(ack).isEqualTo(RetryService.Ack.DONE);
        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(rig.endpoints.items.get("ep-1").firstFailureAt()).isNull();
    }

    @Test
    void retry_whenTheScheduleIsUsedUp_failsWithTheReasonAndCopiesToTheDeadLetterQueue() {
        var d = retrying();
        for (int i = 0; i < 3; i++) {
            rig.clock.advance(Duration.ofMinutes(2));
            rig.retryService().process(d.id(), d.queueToken());
        }

        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(current(d).delivery().attempts()).isEqualTo(4);
        assertThat(current(d).delivery().lastError()).startsWith("retries exhausted after 4 attempts");
        assertThat(rig.queue.deadLetters).singleElement().asString().contains("retries exhausted");
    }

    @Test
    void retry_whenTheMessageArrivesEarly_sendsTheNextHopForWhatRemainsWithoutAttempting() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(5));

        var ack = rig.retryService().process(d.id(), d.queueToken());

        assertThat(ack).isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.queue.sent.getLast()).isEqualTo(new Sent(d.id(), d.queueToken(), Duration.ofSeconds(10)));
        assertThat(rig.sender.sent).hasSize(1);
    }

    @Test
    void retry_staleTokenOrTerminalDelivery_isAcknowledgedWithoutAttempting() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(15));

        assertThat(rig.retryService().process(d.id(), "s-older")).isEqualTo(RetryService.Ack.DONE);
        rig.sender.script(r -> HttpOutcome.status(200, Duration.ofMillis(2)));
        rig.retryService().process(d.id(), d.queueToken());
        assertThat(rig.retryService().process(d.id(), d.queueToken())).isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.sender.sent).hasSize(2);
    }

    @Test
    void retry_whenTheEndpointWasDisabled_failsTheDeliveryWithTheReason() {
        var d = retrying();
        rig.endpoints.disable("ep-1", "operator said so", rig.clock.instant());
        rig.clock.advance(Duration.ofSeconds(15));

        assertThat(rig.retryService().process(d.id(), d.queueToken())).isEqualTo(RetryService.Ack.DONE);
        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(current(d).delivery().lastError()).contains("disabled: operator said so");
    }

    @Test
    void retry_whenTheEndpointHasOnlyFailedForFiveDays_disablesItAndFailsTheDelivery() {
        var d = retrying();
        assertThat(rig.endpoints.items.get("ep-1").firstFailureAt()).isEqualTo(rig.clock.instant());
        rig.clock.advance(Duration.ofDays(5));

        assertThat(rig.retryService().process(d.id(), d.queueToken())).isEqualTo(RetryService.Ack.DONE);

        assertThat(rig.endpoints.items.get("ep-1").enabled()).isFalse();
        assertThat(rig.endpoints.items.get("ep-1").disabledReason()).contains("auto-disable after 5 days");
        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(current(d).delivery().lastError()).startsWith("endpoint disabled: only failures since");
    }

    @Test
    void retry_malformedOrUnknownMessages_goToTheDeadLetterQueueWithAReason() {
        assertThat(rig.retryService().process("not a delivery", "")).isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.retryService().process("{\"deliveryId\":\"dlv_6c4a1f0e2b9d4e8f\"}", ""))
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
        assertThat(rig.retryService().process(d.id(), d.queueToken())).isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.sender.sent).hasSize(1);
        assertThat(rig.retryService().process(d.id(), token)).isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.sender.sent).hasSize(2);
        assertThat(rig.queue.sent.getLast().token()).as("the next hop carries the sweeper's token").isEqualTo(token);
        assertThat(rig.sweeperService().sweep()).containsEntry("found", 0);
    }

    // ------------------------------------------------------------------ batches

    /** Three endpoints for order.paid whose first attempts all failed: three RETRYING deliveries due in 15 s. */
    private final UnitRig three = new UnitRig(
            Endpoint.of("ep-a", "https://a.example.com/h", Set.of("order.paid"), List.of(UnitRig.SECRET)),
            Endpoint.of("ep-b", "https://b.example.com/h", Set.of("order.paid"), List.of(UnitRig.SECRET)),
            Endpoint.of("ep-c", "https://c.example.com/h", Set.of("order.paid"), List.of(UnitRig.SECRET)));

    private List<RetryService.Message> threeRetrying() {
        three.sender.script(r -> HttpOutcome.status(503, Duration.ofMillis(2)));
        three.notifyService(NotifyMode.SAFE).process(
                SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class).getRecords());
        three.clock.advance(Duration.ofSeconds(15));
        return three.deliveries.items.values().stream()
                .sorted(Comparator.comparing(d -> d.delivery().endpointId()))
                .map(d -> new RetryService.Message("msg-" + d.delivery().endpointId(), d.id(), d.queueToken()))
                .toList();
    }

    @Test
    void processBatch_acknowledgesEveryProcessedMessage_andSendsTheNextHopOfThoseStillRetrying() {
        List<RetryService.Message> messages = new ArrayList<>(threeRetrying());
        messages.add(new RetryService.Message("msg-garbage", "not a delivery", ""));
        three.sender.script(r -> r.url().contains("a.example") ? HttpOutcome.status(503, Duration.ofMillis(2))
                : r.url().contains("b.example") ? HttpOutcome.status(200, Duration.ofMillis(2))
                : HttpOutcome.status(410, Duration.ofMillis(2)));

        List<String> keep = three.retryService().processBatch(messages);

        assertThat(keep).isEmpty();
        assertThat(three.deliveries.items.values()).extracting(d -> d.delivery().endpointId() + "=" + d.delivery().status())
                .containsExactlyInAnyOrder("ep-a=RETRYING", "ep-b=DELIVERED", "ep-c=FAILED");
        StoredDelivery a = three.deliveries.items.get(messages.getFirst().body());
        assertThat(three.queue.sent.getLast()).isEqualTo(new Sent(a.id(), a.queueToken(), Duration.ofSeconds(30)));
    }

    @Test
    void processBatch_writesTheAttemptOfEveryMessageToTheHistory() {
        List<RetryService.Message> messages = threeRetrying();
        three.sender.script(r -> HttpOutcome.status(200, Duration.ofMillis(2)));

        three.retryService().processBatch(messages);

        assertThat(three.attempts.items).extracting(a -> a.deliveryId() + "#" + a.number())
                .containsExactlyInAnyOrderElementsOf(messages.stream()
                        .flatMap(m -> Stream.of(m.body() + "#1", m.body() + "#2")).toList());
    }

    @Test
    void processBatch_aMessageWhoseProcessingThrows_isKeptAndCounted_theOthersAreProcessed() {
        List<RetryService.Message> messages = threeRetrying();
        three.sender.script(r -> HttpOutcome.status(200, Duration.ofMillis(2)));
        three.deliveries.failNextTransition = true;

        List<String> keep = three.retryService().processBatch(messages);

        assertThat(keep).hasSize(1);
        assertThat(three.deliveries.items.values()).filteredOn(d -> d.delivery().status() == DeliveryStatus.DELIVERED)
                .hasSize(2);
        assertThat(three.logLines("retry message failed")).singleElement().asString()
                .contains("\"messageId\":\"" + keep.getFirst() + "\"")
                .contains("\"error\":\"java.lang.IllegalStateException: injected crash before the status write\"");
        assertThat(three.metric("retryErrors")).isEqualTo(1);
    }

    /**
     * A delivery that failed its first attempt and is due now, while the circuit of ep-1 is open (opened by a 503)
     * until 30 s from now.
     */
    private StoredDelivery dueBehindAnOpenCircuit() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(15));
        Endpoint ep = rig.endpoints.items.get("ep-1");
        rig.endpoints.items.put("ep-1", ep.withCircuit(new Circuit(Circuit.State.OPEN, rig.clock.instant()
                .plusSeconds(30), 0, rig.clock.instant(), "HTTP 503")));
        return d;
    }

    private static List<RetryService.Message> messageOf(StoredDelivery d) {
        return List.of(new RetryService.Message("msg-1", d.id(), d.queueToken()));
    }

    @Test
    void processBatch_whenTheCircuitIsOpen_parksTheDelivery_acknowledgesTheMessage_andSendsNothing() {
        var d = dueBehindAnOpenCircuit();
        Instant retryAt = rig.clock.instant().plusSeconds(30);
        int sentBefore = rig.queue.sent.size();

        List<String> keep = rig.isolatedRetryService().processBatch(messageOf(d));

        assertThat(keep).as("acknowledged: deleted, not kept").isEmpty();
        StoredDelivery parked = current(d);
        assertThat(parked.delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(parked.delivery().parked()).isTrue();
        assertThat(parked.delivery().attempts()).isEqualTo(1);
        assertThat(parked.delivery().nextAttemptAt()).isEqualTo(retryAt);
        assertThat(parked.delivery().lastStatusCode()).isEqualTo(503);
        assertThat(parked.delivery().lastError()).startsWith("parked: the circuit of endpoint ep-1 is OPEN until "
                + retryAt);
        assertThat(parked.queueToken()).as("no message drives it").isEmpty();
        assertThat(rig.queue.sent).hasSize(sentBefore);
        assertThat(rig.attempts.list(d.id())).hasSize(1);
        assertThat(rig.sender.sent).hasSize(1);
        assertThat(rig.metric("parked")).isEqualTo(1);
    }

    @Test
    void retry_aDuplicateOfTheMessageThatParkedTheDelivery_isStale_andSendsNothing() {
        var d = dueBehindAnOpenCircuit();
        RetryService retry = rig.isolatedRetryService();
        retry.process(d.id(), d.queueToken());
        int sentBefore = rig.queue.sent.size();

        var ack = retry.process(d.id(), d.queueToken());

        assertThat(ack).isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.queue.sent).hasSize(sentBefore);
        assertThat(current(d).delivery().parked()).isTrue();
        assertThat(rig.metric("staleMessages")).isEqualTo(1);
    }

    @Test
    void processBatch_whenTheCircuitIsOpen_andTheParkedRowCannotBeWritten_keepsTheMessage() {
        var d = dueBehindAnOpenCircuit();
        int sentBefore = rig.queue.sent.size();
        rig.deliveries.failNextTransition = true;

        List<String> keep = rig.isolatedRetryService().processBatch(messageOf(d));

        assertThat(keep).containsExactly("msg-1");
        assertThat(current(d).delivery().parked()).isFalse();
        assertThat(rig.queue.sent).hasSize(sentBefore);
    }

    // ------------------------------------------------------------------ one message

    @Test
    void retry_recordsTheAttemptInTheHistory() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(15));

        rig.retryService().process(d.id(), d.queueToken());

        assertThat(rig.attempts.list(d.id())).extracting(Attempt::number, Attempt::statusCode)
                .containsExactly(tuple(1, 503), tuple(2, 503));
    }

    @Test
    void retry_deliveryIdOfAtMost100Characters_isLookedUp_longerBodiesAreMalformed() {
        String longest = EventIds.DELIVERY_PREFIX + "x".repeat(100 - EventIds.DELIVERY_PREFIX.length());

        rig.retryService().process(longest, "");
        rig.retryService().process(longest + "x", "");

        assertThat(rig.queue.deadLetters).containsExactly("raw: unknown delivery " + longest,
                "raw: retry message body is not a delivery id (expected dlv_...)");
    }

    @Test
    void retry_malformedMessage_isLoggedWithTheStartOfItsBodyAndCounted() {
        String body = "garbage-" + "y".repeat(200);

        rig.retryService().process(body, "");

        assertThat(rig.logLines("malformed retry message moved to the dead-letter queue")).singleElement().asString()
                .contains("\"body\":\"" + body.substring(0, 100) + "\"");
        assertThat(rig.metric("malformedMessages")).isEqualTo(1);
    }

    @Test
    void retry_unknownDelivery_isLoggedWithItsIdAndCounted() {
        rig.retryService().process("dlv_6c4a1f0e2b9d4e8f", "");

        assertThat(rig.logLines("retry message for an unknown delivery")).singleElement().asString()
                .contains("\"deliveryId\":\"dlv_6c4a1f0e2b9d4e8f\"");
        assertThat(rig.metric("unknownDeliveries")).isEqualTo(1);
    }

    @Test
    void retry_staleTerminalAndEarlyMessages_areCountedApart() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(5));
        rig.retryService().process(d.id(), d.queueToken());
        rig.clock.advance(Duration.ofSeconds(10));
        rig.retryService().process(d.id(), "s-older");
        rig.sender.script(r -> HttpOutcome.status(200, Duration.ofMillis(2)));
        rig.retryService().process(d.id(), d.queueToken());

        rig.retryService().process(d.id(), d.queueToken());

        assertThat(rig.metric("earlyArrivals")).isEqualTo(1);
        assertThat(rig.metric("staleMessages")).isEqualTo(1);
        assertThat(rig.metric("alreadyTerminal")).isEqualTo(1);
        assertThat(rig.sender.sent).hasSize(2);
    }

    @Test
    void retry_messageAtMostHalfASecondEarly_isAttemptedNow() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(15).minus(RetryService.EARLY));

        var ack = rig.retryService().process(d.id(), d.queueToken());

        assertThat(ack).isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.sender.sent).hasSize(2);
        assertThat(current(d).delivery().attempts()).isEqualTo(2);
    }

    @Test
    void retry_whenTheSweeperTakesTheDeliveryOverDuringThePost_leavesItToTheSweepersMessage() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(15));
        rig.sender.script(r -> {
            StoredDelivery now = rig.deliveries.items.get(d.id());
            rig.deliveries.items.put(d.id(), now.with(now.delivery(), "s-sweeper"));
            return HttpOutcome.status(503, Duration.ofMillis(2));
        });

        var ack = rig.retryService().process(d.id(), d.queueToken());

        assertThat(ack).isEqualTo(RetryService.Ack.DONE);
        assertThat(current(d).queueToken()).isEqualTo("s-sweeper");
        assertThat(current(d).delivery().attempts()).isEqualTo(1);
        assertThat(rig.queue.sent).as("only notify's first message: the sweeper's message drives it now").hasSize(1);
        assertThat(rig.metric("staleTransitions")).isEqualTo(1);
    }

    @Test
    void retry_whenSendingTheNextMessageFails_keepsThisOne_whichComesBackAfterTheQueuesTimeout() {
        var d = retrying();
        rig.clock.advance(Duration.ofSeconds(15));
        rig.queue.failSends = true;

        var keep = rig.retryService().processBatch(List.of(new RetryService.Message("m1", d.id(), d.queueToken())));

        assertThat(keep).containsExactly("m1");
        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(current(d).delivery().nextAttemptAt()).isEqualTo(rig.clock.instant().plusSeconds(30));
        assertThat(rig.logLines("retry message failed")).singleElement().asString()
                .contains("injected SQS failure");

        rig.queue.failSends = false;
        assertThat(rig.retryService().process(d.id(), d.queueToken()))
                .as("back before it is due: the next hop is sent, nothing is POSTed").isEqualTo(RetryService.Ack.DONE);
        assertThat(rig.sender.sent).hasSize(2);
        assertThat(rig.queue.sent.getLast().delay()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void retry_whenTheEndpointNoLongerExists_failsTheDeliveryWithTheReason() {
        var d = retrying();
        rig.endpoints.items.remove("ep-1");
        rig.clock.advance(Duration.ofSeconds(15));

        var ack = rig.retryService().process(d.id(), d.queueToken());

        assertThat(ack).isEqualTo(RetryService.Ack.DONE);
        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(current(d).delivery().lastError()).isEqualTo("endpoint ep-1 no longer exists");
        assertThat(rig.sender.sent).hasSize(1);
    }

    @Test
    void retry_whenTheEndpointIsMisconfigured_failsTheDeliverySayingWhy() {
        var d = retrying();
        rig.endpoints.failFind = new IllegalArgumentException("url is not a string");
        rig.clock.advance(Duration.ofSeconds(15));

        rig.retryService().process(d.id(), d.queueToken());

        assertThat(current(d).delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(current(d).delivery().lastError()).isEqualTo("endpoint ep-1 is misconfigured: url is not a string");
    }

    @Test
    void retry_perRecordUrlDeliveryWithoutItsUrl_failsWithoutPosting() {
        Event event = Event.of("evt_url1", "invoice.callback", "t|5", rig.clock.instant(), "{}");
        String endpointId = EventIds.urlEndpointId("tenant-a", "https://cb.example.com/x");
        StoredDelivery orphan = StoredDelivery.of(event, Delivery.pending(event, endpointId, rig.clock.instant()), "");
        rig.deliveries.createIfAbsent(orphan);

        var ack = rig.retryService().process(orphan.id(), "");

        assertThat(ack).isEqualTo(RetryService.Ack.DONE);
        assertThat(current(orphan).delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(current(orphan).delivery().lastError()).isEqualTo("per-record URL delivery has no stored URL or tenant");
        assertThat(rig.sender.sent).isEmpty();
    }
}
