package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.delivery.DeliveryResult;
import dev.ben.core.delivery.Transition;
import dev.ben.core.http.HttpOutcome;
import dev.ben.core.model.Attempt;
import dev.ben.core.model.Circuit;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Event;
import dev.ben.sender.testing.UnitRig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bookkeeping after a delivery's state was written: history, endpoint health, DLQ copy, metrics, log line. */
class DeliveryRunnerTest {

    private final UnitRig rig = new UnitRig();
    private final DeliveryRunner runner = rig.runner();
    private final Endpoint endpoint = rig.endpoints.items.get("ep-1");
    private final Event event = Event.of("evt_1", "order.paid", "ord_1", rig.clock.instant(), "{\"orderId\":\"ord_1\"}");
    private final StoredDelivery pending = StoredDelivery.of(event, Delivery.pending(event, "ep-1", rig.clock.instant()),
            "");

    private Transition attemptAnswered(int status) {
        rig.sender.script(r -> HttpOutcome.status(status, Duration.ofMillis(7)));
        return runner.attempt(pending, endpoint);
    }

    @Test
    void attempt_postsTheStoredPayload_andCountsItsLatency() {
        Transition t = attemptAnswered(204);

        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(rig.sender.sent).singleElement().satisfies(s -> {
            assertThat(s.request().body()).isEqualTo("{\"orderId\":\"ord_1\"}");
            assertThat(s.request().url()).isEqualTo("https://hooks.example.com/ben");
        });
        assertThat(rig.timings("attemptLatencyMs")).containsExactly(7.0);
    }

    @Test
    void attempt_withoutAStoredPayload_failsTheDeliveryWithoutPosting() {
        Transition t = runner.attempt(pending.withoutPayload(), endpoint);

        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(t.delivery().lastError()).isEqualTo("payload missing from the store");
        assertThat(rig.sender.sent).isEmpty();
    }

    @Test
    void afterWrite_withoutABuffer_writesTheAttemptAtOnce() {
        Transition t = attemptAnswered(200);

        runner.afterWrite(pending, t);

        assertThat(rig.attempts.items).extracting(Attempt::deliveryId).containsExactly(pending.id());
    }

    @Test
    void afterWrite_withABuffer_keepsTheAttemptForOneFlush() {
        Transition t = attemptAnswered(200);
        List<Attempt> buffer = new ArrayList<>();

        runner.afterWrite(pending, t, buffer);
        List<Attempt> beforeFlush = List.copyOf(rig.attempts.items);
        runner.flush(buffer);

        assertThat(beforeFlush).isEmpty();
        assertThat(buffer).singleElement().isEqualTo(t.attempt());
        assertThat(rig.attempts.items).containsExactly(t.attempt());
        assertThat(rig.attempts.writes).hasValue(1);
    }

    @Test
    void flush_ofNothing_doesNotCallTheStore() {
        runner.flush(List.of());

        assertThat(rig.attempts.writes).hasValue(0);
    }

    @Test
    void flush_whenTheHistoryCannotBeWritten_logsAndCountsInsteadOfThrowing() {
        rig.attempts.failWrites = true;
        Transition t = attemptAnswered(200);
        List<Attempt> buffer = new ArrayList<>(List.of(t.attempt(), t.attempt()));

        runner.flush(buffer);

        assertThat(rig.logLines("attempt history write failed")).singleElement().asString()
                .contains("\"attempts\":2").contains("injected attempts table failure");
        assertThat(rig.metric("attemptLogFailed")).isEqualTo(2);
    }

    @Test
    void afterWrite_eachOutcomeIsCounted() {
        runner.afterWrite(pending, attemptAnswered(200));
        runner.afterWrite(pending, attemptAnswered(503));
        runner.afterWrite(pending, rig.policy.cancel(pending.delivery(), "endpoint disabled", rig.clock.instant()));
        runner.afterWrite(pending, rig.policy.reject(pending.delivery(), "payload too large", rig.clock.instant()));

        assertThat(rig.metric("delivered")).isEqualTo(1);
        assertThat(rig.metric("retried")).isEqualTo(1);
        assertThat(rig.metric("cancelled")).isEqualTo(1);
        assertThat(rig.metric("failed")).isEqualTo(1);
    }

    @Test
    void afterWrite_failure_isCopiedToTheDeadLetterQueueWithItsReason() {
        Transition t = rig.policy.reject(pending.delivery(), "payload too large", rig.clock.instant());

        runner.afterWrite(pending, t);

        assertThat(rig.queue.deadLetters).containsExactly(pending.id() + ": payload too large");
    }

    @Test
    void afterWrite_whenTheDeadLetterCopyFails_logsAndCounts_theDeliveryStaysFailed() {
        rig.queue.failDeadLetters = true;
        Transition t = rig.policy.reject(pending.delivery(), "payload too large", rig.clock.instant());

        runner.afterWrite(pending, t);

        assertThat(rig.logLines("copy to the dead-letter queue failed (the delivery is FAILED in the store)"))
                .singleElement().asString().contains(pending.id()).contains("injected DLQ failure");
        assertThat(rig.metric("deadLetterCopyFailed")).isEqualTo(1);
    }

    @Test
    void afterWrite_marksTheEndpointFailing_thenHealthyAgain() {
        Instant firstFailure = rig.clock.instant();
        runner.afterWrite(pending, attemptAnswered(500));
        Instant failingSince = rig.endpoints.items.get("ep-1").firstFailureAt();
        rig.clock.advance(Duration.ofMinutes(1));
        rig.sender.script(r -> HttpOutcome.status(200, Duration.ofMillis(7)));
        Transition recovered = runner.attempt(pending, rig.endpoints.items.get("ep-1"));

        runner.afterWrite(pending, recovered);

        assertThat(failingSince).isEqualTo(firstFailure);
        assertThat(rig.endpoints.items.get("ep-1").firstFailureAt()).isNull();
    }

    @Test
    void afterWrite_endpointGone_disablesIt_warnsAndCounts() {
        runner.afterWrite(pending, attemptAnswered(410));

        assertThat(rig.endpoints.items.get("ep-1").enabled()).isFalse();
        assertThat(rig.logLines("endpoint disabled")).singleElement().asString().contains("\"endpointId\":\"ep-1\"")
                .contains("410").contains("\"level\":\"WARN\"");
        assertThat(rig.metric("endpointsDisabled")).isEqualTo(1);
    }

    @Test
    void afterWrite_whenTheEndpointUpdateFails_logsAndCounts_insteadOfThrowing() {
        rig.endpoints.failUpdates = true;

        runner.afterWrite(pending, attemptAnswered(500));

        assertThat(rig.logLines("endpoint update failed")).singleElement().asString().contains("\"endpointId\":\"ep-1\"")
                .contains("\"update\":\"Failing\"").contains("injected endpoint update failure");
        assertThat(rig.metric("endpointUpdateFailed")).isEqualTo(1);
    }

    @Test
    void afterWrite_logsOneLinePerOutcome_failuresAsWarnings() {
        runner.afterWrite(pending, attemptAnswered(200));
        runner.afterWrite(pending, attemptAnswered(503));
        runner.afterWrite(pending, rig.policy.reject(pending.delivery(), "payload too large", rig.clock.instant()));

        assertThat(rig.logLines("delivery DELIVERED")).singleElement().asString().contains("\"level\":\"INFO\"")
                .contains("\"latencyMs\":7").doesNotContain("nextAttemptAt").doesNotContain("\"reason\"");
        assertThat(rig.logLines("delivery RETRYING")).singleElement().asString().contains("\"level\":\"INFO\"")
                .contains("\"nextAttemptAt\":\"" + rig.clock.instant().plusSeconds(15) + "\"")
                .contains("\"reason\":\"HTTP 503\"");
        assertThat(rig.logLines("delivery FAILED")).singleElement().asString().contains("\"level\":\"WARN\"")
                .contains("\"reason\":\"payload too large\"").doesNotContain("latencyMs");
    }

    @Test
    void attempt_whenTheCircuitIsOpen_parksUntilItsRetryAt_withoutPosting() {
        Instant retryAt = rig.clock.instant().plusSeconds(30);
        Endpoint open = endpoint.withCircuit(new Circuit(Circuit.State.OPEN, retryAt, 0, rig.clock.instant(),
                "HTTP 503"));

        Transition t = rig.gatedRunner().attempt(pending, open);

        assertThat(t.result()).isEqualTo(new DeliveryResult.Parked(retryAt, "parked: the circuit of endpoint ep-1 is "
                + "OPEN until " + retryAt + " (HTTP 503); sent once it closes"));
        assertThat(t.delivery().parked()).isTrue();
        assertThat(t.hasAttempt()).isFalse();
        assertThat(rig.sender.sent).isEmpty();
    }

    @Test
    void afterWrite_parked_isCountedAndLoggedAsParked_withoutAnAttemptRowOrAMessage() {
        Transition parked = rig.policy.park(pending.delivery(), endpoint, rig.clock.instant().plusSeconds(30),
                "parked: circuit open", rig.clock.instant());

        runner.afterWrite(pending, parked);

        assertThat(rig.metric("parked")).isEqualTo(1);
        assertThat(rig.logLines("delivery RETRYING")).singleElement().asString().contains("\"parked\":true")
                .contains("\"reason\":\"parked: circuit open\"");
        assertThat(rig.attempts.items).isEmpty();
        assertThat(rig.queue.sent).isEmpty();
    }
}
