package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.ben.core.http.ErrorKind;
import dev.ben.core.http.HttpOutcome;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.events.SampleEvents;
import dev.ben.sender.testing.SpecVerifier;
import dev.ben.sender.testing.UnitRig;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NotifyServiceTest {

    private final UnitRig rig = new UnitRig();

    private static List<DynamodbEvent.DynamodbStreamRecord> paid() {
        return SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class).getRecords();
    }

    private StoredDelivery only() {
        assertThat(rig.deliveries.items).hasSize(1);
        return rig.deliveries.items.values().iterator().next();
    }

    @Test
    void notify_whenReceiverAnswers2xx_recordsDeliveredWithoutQueueMessages() {
        var failed = rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(failed).isEmpty();
        assertThat(only().delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(only().delivery().attempts()).isEqualTo(1);
        assertThat(rig.attempts.items).hasSize(1);
        assertThat(rig.queue.sent).isEmpty();
        var post = rig.sender.sent.getFirst();
        assertThat(post.request().messageId()).isEqualTo(only().delivery().eventId());
        assertThat(SpecVerifier.verifies(UnitRig.SECRET, post.headers().get("webhook-id"),
                post.headers().get("webhook-timestamp"), post.request().body(), post.headers().get("webhook-signature")))
                .isTrue();
    }

    @Test
    void notify_fastMode_recordsTheSameOutcome() {
        var failed = rig.notifyService(NotifyMode.FAST).process(paid());

        assertThat(failed).isEmpty();
        assertThat(only().delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(rig.attempts.items).hasSize(1);
    }

    @Test
    void notify_whenTheBatchIsRedelivered_doesNotPostAgain() {
        rig.notifyService(NotifyMode.SAFE).process(paid());

        var failed = rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(failed).isEmpty();
        assertThat(rig.sender.sent).hasSize(1);
    }

    @Test
    void notify_whenTheBatchIsRedelivered_countsTheDuplicate() {
        rig.notifyService(NotifyMode.SAFE).process(paid());

        rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(rig.metric("duplicateDeliveries")).isEqualTo(1);
        assertThat(rig.attempts.items).hasSize(1);
    }

    @Test
    void notify_whenReceiverReturns503_enqueuesTheFirstDelayAndMarksRetrying() {
        rig.sender.script(r -> HttpOutcome.status(503, Duration.ofMillis(3)));

        rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(only().delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(only().delivery().nextAttemptAt()).isEqualTo(rig.clock.instant().plusSeconds(15));
        assertThat(rig.queue.sent).singleElement().satisfies(s -> {
            assertThat(s.delay()).isEqualTo(Duration.ofSeconds(15));
            assertThat(s.token()).isEqualTo(only().queueToken());
        });
    }

    @Test
    void notify_whenRetryAfterIsSent_honoursIt() {
        rig.sender.script(r -> HttpOutcome.response(429, Duration.ofMillis(3), "", false, "120", ""));

        rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(rig.queue.sent.getFirst().delay()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void notify_whenTheProcessCrashesAfterThePost_reportsTheRecordAndTheRedeliveryPostsAgain() {
        rig.deliveries.failNextTransition = true;

        var failed = rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(failed).containsExactly("200000000000000000002");
        assertThat(only().delivery().status()).isEqualTo(DeliveryStatus.PENDING);

        var again = rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(again).isEmpty();
        assertThat(rig.sender.sent).hasSize(2);
        assertThat(rig.sender.sent).extracting(s -> s.request().messageId()).containsOnly(only().delivery().eventId());
        assertThat(only().delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void notify_whenTheRetryQueueFails_reportsTheRecordAndLeavesItOverdueForTheSweeper() {
        rig.sender.script(r -> HttpOutcome.failure(ErrorKind.CONNECTION_RESET, "reset", Duration.ofMillis(2)));
        rig.queue.failSends = true;

        var failed = rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(failed).hasSize(1);
        assertThat(only().delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
        rig.queue.failSends = false;
        rig.clock.advance(Duration.ofMinutes(5));
        var summary = rig.sweeperService().sweep();
        assertThat(summary).containsEntry("reenqueued", 1);
        assertThat(rig.queue.sent).singleElement().satisfies(s -> assertThat(s.token()).startsWith("s"));
    }

    @Test
    void notify_whenTheReceiverAnswers410_disablesTheEndpointAndFails() {
        rig.sender.script(r -> HttpOutcome.status(410, Duration.ofMillis(3)));

        rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(only().delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(rig.endpoints.items.get("ep-1").enabled()).isFalse();
        assertThat(rig.queue.deadLetters).hasSize(1);
    }

    @Test
    void notify_whenThePayloadIsTooLarge_failsWithAClearReasonWithoutPosting() {
        var records = paid();
        records.getFirst().getDynamodb().getNewImage().put("currency",
                new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue()
                        .withS("x".repeat(400_000)));

        var failed = rig.notifyService(NotifyMode.SAFE).process(records);

        assertThat(failed).isEmpty();
        assertThat(rig.sender.sent).isEmpty();
        assertThat(only().delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(only().delivery().lastError()).contains("payload is").contains("bytes");
        assertThat(only().payload()).isNull();
    }

    @Test
    void notify_whenRecordsAreMalformed_skipsThemWithALoggedReasonAndDoesNotBlockTheShard() {
        var records = paid();
        records.getFirst().setEventSourceARN("arn:aws:dynamodb:us-east-1:1:table/unknown/stream/x");

        var failed = rig.notifyService(NotifyMode.SAFE).process(records);

        assertThat(failed).isEmpty();
        assertThat(rig.deliveries.items).isEmpty();
        assertThat(rig.logText()).contains("stream record skipped").contains("no source of the declaration reads table 'unknown'");
    }

    @Test
    void notify_fansOutToEverySubscribedEndpoint_andNeverLogsSecrets() {
        String second = "whsec_c2Vjb25kLXNlY3JldC1mb3ItYmVuLXRlc3RzLTEyMzQ1Ng==";
        var rig2 = new UnitRig(
                Endpoint.of("ep-1", "https://a.example.com/h", Set.of("order.paid"), List.of(UnitRig.SECRET)),
                Endpoint.of("ep-2", "https://b.example.com/h", Set.of("*"), List.of(UnitRig.SECRET, second)),
                Endpoint.of("ep-3", "https://c.example.com/h", Set.of("order.shipped"), List.of(UnitRig.SECRET)));
        rig2.sender.script(r -> HttpOutcome.status(500, Duration.ofMillis(1)));

        rig2.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(rig2.deliveries.items.values()).extracting(d -> d.delivery().endpointId())
                .containsExactlyInAnyOrder("ep-1", "ep-2");
        var rotated = rig2.sender.sent.stream().filter(s -> s.request().url().contains("b.example")).findFirst()
                .orElseThrow();
        assertThat(rotated.headers().get("webhook-signature").split(" ")).hasSize(2);
        assertThat(rig2.logText()).isNotEmpty().doesNotContain("whsec_").doesNotContain("MfKQ9r8GKYqrTwjUPD8IL");
    }

    /** A second order paid in the same batch: its own record, sequence number and entity. */
    private static DynamodbEvent.DynamodbStreamRecord paidOrder(String orderId, String sequenceNumber) {
        var record = paid().getFirst();
        record.setEventID("ev-" + orderId);
        record.getDynamodb().setSequenceNumber(sequenceNumber);
        record.getDynamodb().getKeys().put("orderId", new AttributeValue().withS(orderId));
        record.getDynamodb().getNewImage().put("orderId", new AttributeValue().withS(orderId));
        record.getDynamodb().getOldImage().put("orderId", new AttributeValue().withS(orderId));
        return record;
    }

    // ------------------------------------------------------------------ FAST mode

    @Test
    void notify_fastMode_whenTheBatchIsRedelivered_doesNotPostAgain() {
        rig.notifyService(NotifyMode.FAST).process(paid());

        var failed = rig.notifyService(NotifyMode.FAST).process(paid());

        assertThat(failed).isEmpty();
        assertThat(rig.sender.sent).hasSize(1);
        assertThat(rig.attempts.items).hasSize(1);
        assertThat(rig.metric("duplicateDeliveries")).isEqualTo(1);
    }

    @Test
    void notify_fastMode_whenAnotherInvocationCreatedTheDeliveryDuringThePost_leavesItsOutcomeAlone() {
        rig.sender.script(r -> {
            var first = rig.notifyService(NotifyMode.SAFE);
            rig.sender.script(inner -> HttpOutcome.status(200, Duration.ofMillis(1)));
            first.process(paid());
            return HttpOutcome.status(503, Duration.ofMillis(1));
        });

        var failed = rig.notifyService(NotifyMode.FAST).process(paid());

        assertThat(failed).isEmpty();
        assertThat(only().delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(rig.queue.sent).isEmpty();
        assertThat(rig.attempts.items).hasSize(1);
        assertThat(rig.metric("duplicateDeliveries")).isEqualTo(1);
    }

    @Test
    void notify_fastMode_whenExistingDeliveriesCannotBeRead_reportsTheBatchWithoutPosting() {
        rig.deliveries.failFindAll = true;

        var failed = rig.notifyService(NotifyMode.FAST).process(paid());

        assertThat(failed).containsExactly("200000000000000000002");
        assertThat(rig.sender.sent).isEmpty();
        assertThat(rig.deliveries.items).isEmpty();
        assertThat(rig.logLines("reading existing deliveries failed, batch reported")).singleElement().asString()
                .contains("injected BatchGetItem failure");
    }

    // ------------------------------------------------------------------ queue tokens

    @Test
    void notify_firstRetryMessage_isTheDeliverysOwn_soASweeperTakeoverMakesItStale() {
        for (NotifyMode mode : NotifyMode.values()) {
            UnitRig r = new UnitRig();
            r.sender.script(x -> HttpOutcome.status(503, Duration.ofMillis(1)));
            r.notifyService(mode).process(paid());
            var firstMessage = r.queue.sent.getFirst();
            var delivery = r.deliveries.items.get(firstMessage.deliveryId());
            r.clock.advance(Duration.ofMinutes(5));
            r.sweeperService().sweep();
            var sweeperMessage = r.queue.sent.getLast();

            var lateOriginal = r.retryService().process(firstMessage.deliveryId(), firstMessage.token());
            var fromSweeper = r.retryService().process(sweeperMessage.deliveryId(), sweeperMessage.token());

            assertThat(firstMessage.token()).as(mode.name()).isNotEmpty().isEqualTo(delivery.queueToken());
            assertThat(lateOriginal).as(mode.name()).isEqualTo(RetryService.Ack.DONE);
            assertThat(fromSweeper).as(mode.name()).isEqualTo(RetryService.Ack.DONE);
            assertThat(r.sender.sent).as(mode.name()).hasSize(2);
        }
    }

    // ------------------------------------------------------------------ concurrency

    /**
     * Six deliveries, two permits. Each scripted POST stays in flight until a third is in flight at the same time or
     * 100 ms have passed: with the cap that never happens (and every pair just waits its 100 ms); without it the
     * third POST arrives while the first two wait. The wait only bounds how long a violation may take to show up:
     * nothing is synchronised by it and the outcome with the cap does not depend on it.
     */
    @Test
    void notify_moreDeliveriesThanPermits_neverHasMoreThanThePermitsInFlight() {
        var endpoints = IntStream.rangeClosed(1, 6).mapToObj(i -> Endpoint.of("ep-" + i,
                "https://h" + i + ".example.com/h", Set.of("order.paid"), List.of(UnitRig.SECRET))).toArray(Endpoint[]::new);
        UnitRig six = new UnitRig(endpoints);
        Object monitor = new Object();
        int[] inFlight = {0};
        int[] most = {0};
        six.sender.script(r -> {
            synchronized (monitor) {
                inFlight[0]++;
                most[0] = Math.max(most[0], inFlight[0]);
                monitor.notifyAll();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                while (inFlight[0] <= 2 && System.nanoTime() < until) {
                    try {
                        monitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                inFlight[0]--;
            }
            return HttpOutcome.status(200, Duration.ofMillis(1));
        });

        var failed = six.notifyService(NotifyMode.SAFE, UnitRig.demoDeclaration(), 2, 350_000).process(paid());

        assertThat(failed).isEmpty();
        assertThat(six.deliveries.items.values()).hasSize(6)
                .allSatisfy(d -> assertThat(d.delivery().status()).isEqualTo(DeliveryStatus.DELIVERED));
        assertThat(most[0]).isLessThanOrEqualTo(2);
    }

    // ------------------------------------------------------------------ failures and what they report

    @Test
    void notify_whenTheEndpointsCannotBeReadForOneRecord_reportsOnlyThatRecord() {
        rig.endpoints.failNextSubscribedTo = true;

        var failed = rig.notifyService(NotifyMode.SAFE).process(List.of(paidOrder("ord_1", "300000000000000000001"),
                paidOrder("ord_2", "300000000000000000002")));

        assertThat(failed).containsExactly("300000000000000000001");
        assertThat(only().delivery().entityId()).isEqualTo("ord_2");
        assertThat(rig.logLines("record failed, reported for redelivery")).singleElement().asString()
                .contains("300000000000000000001").contains("injected endpoints table throttling");
    }

    @Test
    void notify_whenTheEventItemsCannotBeWritten_reportsTheRecordsWithoutPosting() {
        rig.events.failNextWrite = true;

        var failed = rig.notifyService(NotifyMode.SAFE).process(List.of(paidOrder("ord_1", "300000000000000000001"),
                paidOrder("ord_2", "300000000000000000002")));

        assertThat(failed).containsExactly("300000000000000000001", "300000000000000000002");
        assertThat(rig.sender.sent).isEmpty();
        assertThat(rig.deliveries.items).isEmpty();
        assertThat(rig.logLines("event items could not be written, records reported")).singleElement().asString()
                .contains("injected events table failure");
        assertThat(rig.metric("recordsReported")).isEqualTo(2);
    }

    @Test
    void notify_whenADeliveryWriteFails_logsTheCauseAndCountsTheReportedRecord() {
        rig.deliveries.failNextTransition = true;

        rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(rig.logLines("delivery write failed, record reported for redelivery")).singleElement().asString()
                .contains("\"endpointId\":\"ep-1\"")
                .contains("\"error\":\"java.lang.IllegalStateException: injected crash before the status write\"");
        assertThat(rig.metric("recordsReported")).isEqualTo(1);
    }

    @Test
    void notify_whenTheSweeperTakesTheDeliveryOverDuringThePost_leavesItToTheSweeper() {
        rig.sender.script(r -> {
            StoredDelivery now = only();
            rig.deliveries.items.put(now.id(), now.with(now.delivery(), "s-sweeper"));
            return HttpOutcome.status(503, Duration.ofMillis(1));
        });

        var failed = rig.notifyService(NotifyMode.SAFE).process(paid());

        assertThat(failed).isEmpty();
        assertThat(only().queueToken()).isEqualTo("s-sweeper");
        assertThat(only().delivery().status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(rig.queue.sent).isEmpty();
        assertThat(rig.metric("staleTransitions")).isEqualTo(1);
    }

    @Test
    void notify_payloadOfExactlyTheMaximumSize_isDelivered() {
        var event = ((EventMapper.Mapped.Events) new EventMapper(UnitRig.demoDeclaration(), Map.of())
                .map(paid().getFirst(), rig.clock.instant())).events().getFirst();
        int size = event.payload().getBytes(StandardCharsets.UTF_8).length;

        rig.notifyService(NotifyMode.SAFE, UnitRig.demoDeclaration(), 8, size).process(paid());

        assertThat(rig.sender.sent).hasSize(1);
        assertThat(only().delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void notify_payloadOneByteOverTheMaximum_isFailedWithoutPosting() {
        var event = ((EventMapper.Mapped.Events) new EventMapper(UnitRig.demoDeclaration(), Map.of())
                .map(paid().getFirst(), rig.clock.instant())).events().getFirst();
        int size = event.payload().getBytes(StandardCharsets.UTF_8).length;

        rig.notifyService(NotifyMode.SAFE, UnitRig.demoDeclaration(), 8, size - 1).process(paid());

        assertThat(rig.sender.sent).isEmpty();
        assertThat(only().delivery().lastError()).startsWith("payload is " + size + " bytes; at most " + (size - 1));
        assertThat(rig.queue.deadLetters).hasSize(1);
    }

    // ------------------------------------------------------------------ what is logged and counted

    @Test
    void notify_malformedRecord_isLoggedWithItsIdAndSource_andCounted() {
        var records = paid();
        records.getFirst().setEventSourceARN("arn:aws:dynamodb:us-east-1:1:table/unknown/stream/x");

        rig.notifyService(NotifyMode.SAFE).process(records);

        assertThat(rig.logLines("stream record skipped")).singleElement().asString()
                .contains("\"sequenceNumber\":\"200000000000000000002\"")
                .contains("\"eventID\":\"c81e728d9d4c2f636f067f89cc14862c\"")
                .contains("\"eventSourceARN\":\"arn:aws:dynamodb:us-east-1:1:table/unknown/stream/x\"");
        assertThat(rig.metric("skippedRecords")).isEqualTo(1);
    }

    @Test
    void notify_nullRecordInTheBatch_isSkippedWithEmptyFields_andTheOthersAreDelivered() {
        var records = new ArrayList<>(Arrays.asList((DynamodbEvent.DynamodbStreamRecord) null));
        records.addAll(paid());

        var failed = rig.notifyService(NotifyMode.SAFE).process(records);

        assertThat(failed).isEmpty();
        assertThat(only().delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(rig.logLines("stream record skipped")).singleElement().asString()
                .contains("\"eventID\":\"\"").contains("\"eventSourceARN\":\"\"");
    }

    @Test
    void notify_eventsNobodyReceives_areKeptWithTheReason_andIgnoredRecordsCounted() {
        UnitRig nobody = new UnitRig(Endpoint.of("ep-9", "https://z.example.com/h", Set.of("order.shipped"),
                List.of(UnitRig.SECRET)));
        var insert = SampleEvents.load(SampleEvents.STREAM_INSERT, DynamodbEvent.class).getRecords();

        nobody.notifyService(NotifyMode.SAFE).process(paid());
        nobody.notifyService(NotifyMode.SAFE).process(insert);

        assertThat(nobody.logLines("no endpoint subscribes to order.paid (tenant-less event)")).singleElement()
                .asString().contains("\"entityId\":\"ord_1001\"");
        assertThat(nobody.metric("eventsWithoutSubscribers")).isEqualTo(1);
        assertThat(nobody.metric("events")).isEqualTo(1);
        assertThat(nobody.metric("ignoredRecords")).isEqualTo(1);
        assertThat(nobody.deliveries.items).isEmpty();
        assertThat(nobody.events.items.values()).singleElement().satisfies(e -> {
            assertThat(e.endpointIds()).isEmpty();
            assertThat(e.note()).isEqualTo("no endpoint subscribes to order.paid (tenant-less event)");
        });
    }
}
