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
import java.time.Duration;
import java.util.List;
import java.util.Set;
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
}
