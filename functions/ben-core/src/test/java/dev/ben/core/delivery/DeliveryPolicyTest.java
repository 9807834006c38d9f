package dev.ben.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.core.delivery.DeliveryResult.Cancelled;
import dev.ben.core.delivery.DeliveryResult.Delivered;
import dev.ben.core.delivery.DeliveryResult.Exhausted;
import dev.ben.core.delivery.DeliveryResult.Gone;
import dev.ben.core.delivery.DeliveryResult.Parked;
import dev.ben.core.delivery.DeliveryResult.Rejected;
import dev.ben.core.delivery.DeliveryResult.Retry;
import dev.ben.core.http.ErrorKind;
import dev.ben.core.http.HttpOutcome;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Event;
import dev.ben.core.retry.Jitter;
import dev.ben.core.retry.RetrySchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {
    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration LATENCY = Duration.ofMillis(80);

    private final DeliveryPolicy policy = DeliveryPolicy.defaults().withJitter(Jitter.none());
    private final Endpoint endpoint = Endpoint.of("ep_1", "https://example.com/hook", Set.of("order.paid"),
            List.of("whsec_c2VjcmV0"));
    private final Delivery pending = Delivery.pending(
            Event.of("evt_1", "order.paid", "o-1", T0, "{}"), "ep_1", T0);

    @Test
    void next_when2xx_isDeliveredAndRecordsAttempt() {
        Transition t = policy.next(pending, endpoint, HttpOutcome.status(204, LATENCY), T0.plusSeconds(1));

        assertThat(t.result()).isEqualTo(new Delivered(204));
        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(t.delivery().attempts()).isEqualTo(1);
        assertThat(t.delivery().nextAttemptAt()).isNull();
        assertThat(t.delivery().lastStatusCode()).isEqualTo(204);
        assertThat(t.delivery().lastError()).isEmpty();
        assertThat(t.endpointUpdate()).isInstanceOf(EndpointUpdate.Unchanged.class);
        assertThat(t.attempt().number()).isEqualTo(1);
        assertThat(t.attempt().at()).isEqualTo(T0.plusSeconds(1).minus(LATENCY));
        assertThat(t.attempt().error()).isEmpty();
    }

    @Test
    void retry_whenReceiverReturns503_reschedulesWithNextDelay() {
        Instant now = T0.plusSeconds(1);

        Transition t = policy.next(pending, endpoint, HttpOutcome.status(503, LATENCY), now);

        assertThat(t.result()).isEqualTo(new Retry(now.plusSeconds(15), Duration.ofSeconds(15), "HTTP 503"));
        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(t.delivery().nextAttemptAt()).isEqualTo(now.plusSeconds(15));
        assertThat(t.delivery().lastError()).isEqualTo("HTTP 503");
        assertThat(t.endpointUpdate()).isEqualTo(new EndpointUpdate.Failing(now));
    }

    @Test
    void retry_afterFourthFailure_waitsTenMinutes() {
        Delivery third = pending.withStatus(DeliveryStatus.RETRYING, 4, T0, 500, "HTTP 500", T0);

        Transition t = policy.next(third, endpoint, HttpOutcome.status(500, LATENCY), T0);

        assertThat(((Retry) t.result()).after()).isEqualTo(Duration.ofMinutes(10));
        assertThat(t.delivery().attempts()).isEqualTo(5);
    }

    @Test
    void next_when410_isGoneAndDisablesEndpoint() {
        Transition t = policy.next(pending, endpoint, HttpOutcome.status(410, LATENCY), T0);

        assertThat(t.result()).isInstanceOf(Gone.class);
        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(t.delivery().lastError()).contains("410");
        assertThat(t.endpointUpdate()).isInstanceOf(EndpointUpdate.Disable.class);
        assertThat(((EndpointUpdate.Disable) t.endpointUpdate()).reason()).contains("410");
    }

    @Test
    void next_when429WithRetryAfterSeconds_honoursIt() {
        HttpOutcome outcome = HttpOutcome.response(429, LATENCY, "", false, "120", "");

        Transition t = policy.next(pending, endpoint, outcome, T0);

        assertThat(((Retry) t.result()).after()).isEqualTo(Duration.ofSeconds(120));
        assertThat(t.delivery().nextAttemptAt()).isEqualTo(T0.plusSeconds(120));
    }

    @Test
    void next_when503WithRetryAfterDate_honoursIt() {
        HttpOutcome outcome = HttpOutcome.response(503, LATENCY, "", false, "Sun, 29 Nov 2026 12:02:00 GMT", "");

        Transition t = policy.next(pending, endpoint, outcome, T0);

        assertThat(((Retry) t.result()).after()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void next_whenRetryAfterTooLong_capsIt() {
        HttpOutcome outcome = HttpOutcome.response(429, LATENCY, "", false, "86400", "");

        Transition t = policy.next(pending, endpoint, outcome, T0);

        assertThat(((Retry) t.result()).after()).isEqualTo(DeliveryPolicy.DEFAULT_RETRY_AFTER_CAP);
    }

    @Test
    void next_retryAfterOn500_isIgnored_scheduleApplies() {
        HttpOutcome outcome = HttpOutcome.response(500, LATENCY, "", false, "600", "");

        Transition t = policy.next(pending, endpoint, outcome, T0);

        assertThat(((Retry) t.result()).after()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void next_whenRetryAfterUnparseable_usesSchedule() {
        HttpOutcome outcome = HttpOutcome.response(429, LATENCY, "", false, "later", "");

        Transition t = policy.next(pending, endpoint, outcome, T0);

        assertThat(((Retry) t.result()).after()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void next_onTimeoutOrConnectionErrors_retriesWithSchedule() {
        for (ErrorKind kind : List.of(ErrorKind.TIMEOUT, ErrorKind.CONNECT_TIMEOUT, ErrorKind.CONNECTION_REFUSED,
                ErrorKind.CONNECTION_RESET, ErrorKind.UNKNOWN_HOST, ErrorKind.TLS, ErrorKind.PROTOCOL, ErrorKind.IO)) {
            Transition t = policy.next(pending, endpoint, HttpOutcome.failure(kind, "detail", LATENCY), T0);

            assertThat(t.result()).as(kind.name()).isInstanceOf(Retry.class);
            assertThat(t.delivery().lastError()).as(kind.name()).isEqualTo(kind + ": detail");
            assertThat(t.delivery().lastStatusCode()).isZero();
        }
    }

    @Test
    void next_onOther4xxAnd3xx_retries_andRecordsRedirectLocation() {
        Transition t400 = policy.next(pending, endpoint, HttpOutcome.status(400, LATENCY), T0);
        Transition t302 = policy.next(pending, endpoint,
                HttpOutcome.response(302, LATENCY, "", false, "", "http://127.0.0.1/"), T0);

        assertThat(t400.result()).isInstanceOf(Retry.class);
        assertThat(t302.result()).isInstanceOf(Retry.class);
        assertThat(t302.delivery().lastError()).contains("redirect not followed").contains("http://127.0.0.1/");
    }

    @Test
    void next_onBlockedAddressOrInvalidUrl_isRejectedWithoutRetry() {
        Transition blocked = policy.next(pending, endpoint,
                HttpOutcome.failure(ErrorKind.BLOCKED_ADDRESS, "host resolves to 10.0.0.1", Duration.ZERO), T0);
        Transition invalid = policy.next(pending, endpoint,
                HttpOutcome.failure(ErrorKind.INVALID_URL, "ftp not allowed", Duration.ZERO), T0);

        assertThat(blocked.result()).isEqualTo(new Rejected("BLOCKED_ADDRESS: host resolves to 10.0.0.1"));
        assertThat(blocked.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(invalid.result()).isInstanceOf(Rejected.class);
    }

    @Test
    void next_whenScheduleExhausted_failsWithLastError() {
        Delivery last = pending.withStatus(DeliveryStatus.RETRYING, 15, T0, 500, "HTTP 500", T0);

        Transition t = policy.next(last, endpoint, HttpOutcome.status(502, LATENCY), T0.plus(Duration.ofHours(24)));

        assertThat(t.result()).isInstanceOf(Exhausted.class);
        assertThat(t.result().reason()).contains("16 attempts").contains("HTTP 502");
        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(t.delivery().attempts()).isEqualTo(16);
        assertThat(t.delivery().nextAttemptAt()).isNull();
    }

    @Test
    void next_whenNextAttemptBeyondMaxAge_isExhausted() {
        DeliveryPolicy shortLived = policy.withSchedule(RetrySchedule.parse("1m,1m,1m").withMaxAge(Duration.ofMinutes(2)));
        Delivery second = pending.withStatus(DeliveryStatus.RETRYING, 2, T0, 500, "HTTP 500", T0);

        Transition t = shortLived.next(second, endpoint, HttpOutcome.status(500, LATENCY), T0.plusSeconds(90));

        assertThat(t.result()).isInstanceOf(Exhausted.class);
        assertThat(t.result().reason()).contains("max age");
    }

    @Test
    void next_usesEndpointOwnSchedule() {
        Endpoint own = new Endpoint("ep_1", "https://example.com", Set.of("*"), List.of("whsec_a"), true, "", 0,
                RetrySchedule.parse("2s,4s"), null, "");

        Transition t = policy.next(pending, own, HttpOutcome.status(500, LATENCY), T0);

        assertThat(((Retry) t.result()).after()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void next_appliesJitterToScheduleButNotToRetryAfter() {
        DeliveryPolicy jittered = policy.withJitter(new Jitter(0.1, () -> 0.0));

        Transition scheduled = jittered.next(pending, endpoint, HttpOutcome.status(500, LATENCY), T0);
        Transition told = jittered.next(pending, endpoint, HttpOutcome.response(429, LATENCY, "", false, "100", ""), T0);

        assertThat(((Retry) scheduled.result()).after()).isEqualTo(Duration.ofMillis(13_500));
        assertThat(((Retry) told.result()).after()).isEqualTo(Duration.ofSeconds(100));
    }

    @Test
    void next_successAfterFailures_marksEndpointHealthy() {
        Endpoint failing = endpoint.withFirstFailureAt(T0.minus(Duration.ofDays(1)));

        Transition t = policy.next(pending, failing, HttpOutcome.status(200, LATENCY), T0);

        assertThat(t.endpointUpdate()).isInstanceOf(EndpointUpdate.Healthy.class);
    }

    @Test
    void next_failureWhileAlreadyFailing_leavesFirstFailureAlone() {
        Endpoint failing = endpoint.withFirstFailureAt(T0.minus(Duration.ofDays(1)));

        Transition t = policy.next(pending, failing, HttpOutcome.status(500, LATENCY), T0);

        assertThat(t.endpointUpdate()).isInstanceOf(EndpointUpdate.Unchanged.class);
        assertThat(t.result()).isInstanceOf(Retry.class);
    }

    @Test
    void next_failingForFiveDays_disablesEndpointAndFailsDelivery() {
        Endpoint failing = endpoint.withFirstFailureAt(T0.minus(Duration.ofDays(5)));

        Transition t = policy.next(pending, failing, HttpOutcome.status(500, LATENCY), T0);

        assertThat(t.endpointUpdate()).isInstanceOf(EndpointUpdate.Disable.class);
        assertThat(((EndpointUpdate.Disable) t.endpointUpdate()).reason()).contains("5 days");
        assertThat(t.result()).isInstanceOf(Rejected.class);
        assertThat(t.result().reason()).contains("endpoint disabled").contains("HTTP 500");
        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
    }

    @Test
    void next_failingJustUnderFiveDays_keepsRetrying() {
        Endpoint failing = endpoint.withFirstFailureAt(T0.minus(Duration.ofDays(5)).plusSeconds(1));

        Transition t = policy.next(pending, failing, HttpOutcome.status(500, LATENCY), T0);

        assertThat(t.result()).isInstanceOf(Retry.class);
    }

    @Test
    void next_onTerminalDelivery_isRefused() {
        Delivery done = pending.withStatus(DeliveryStatus.DELIVERED, 1, null, 200, "", T0);

        assertThatThrownBy(() -> policy.next(done, endpoint, HttpOutcome.status(200, LATENCY), T0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("DELIVERED");
    }

    @Test
    void reject_failsWithoutAttempt() {
        Transition t = policy.reject(pending, "payload of 500 KB exceeds 350 KB", T0);

        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(t.delivery().lastError()).contains("350 KB");
        assertThat(t.hasAttempt()).isFalse();
        assertThat(t.result()).isInstanceOf(Rejected.class);
    }

    @Test
    void cancel_cancelsWithoutAttempt() {
        Transition t = policy.cancel(pending, "endpoint disabled", T0);

        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.CANCELLED);
        assertThat(t.result()).isEqualTo(new Cancelled("endpoint disabled"));
        assertThat(t.hasAttempt()).isFalse();
    }

    @Test
    void fullRun_failingEveryTime_followsWholeScheduleThenFails() {
        Delivery d = pending;
        Instant now = T0;
        int attempts = 0;
        Duration waited = Duration.ZERO;
        while (!d.status().terminal()) {
            Transition t = policy.next(d, endpoint, HttpOutcome.status(500, Duration.ZERO), now);
            attempts++;
            d = t.delivery();
            if (t.result() instanceof Retry r) {
                waited = waited.plus(r.after());
                now = r.at();
            }
        }

        assertThat(attempts).isEqualTo(16);
        assertThat(waited).isEqualTo(Duration.ofHours(24).plusMinutes(4));
        assertThat(d.status()).isEqualTo(DeliveryStatus.FAILED);
    }

    @Test
    void reject_onTerminalDelivery_isRefused() {
        for (DeliveryStatus terminal : List.of(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED,
                DeliveryStatus.CANCELLED)) {
            Delivery done = pending.withStatus(terminal, 1, null, 200, "", T0);

            assertThatThrownBy(() -> policy.reject(done, "payload too large", T0)).as(terminal.name())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(terminal.name());
        }
    }

    @Test
    void cancel_onTerminalDelivery_isRefused() {
        for (DeliveryStatus terminal : List.of(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED,
                DeliveryStatus.CANCELLED)) {
            Delivery done = pending.withStatus(terminal, 1, null, 200, "", T0);

            assertThatThrownBy(() -> policy.cancel(done, "endpoint disabled", T0)).as(terminal.name())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(terminal.name());
        }
    }

    @Test
    void reject_andCancel_keepTheAttemptCountAndLastStatusOfARetryingDelivery() {
        Delivery retrying = pending.withStatus(DeliveryStatus.RETRYING, 3, T0.plusSeconds(30), 503, "HTTP 503", T0);

        Transition rejected = policy.reject(retrying, "endpoint ep_1 no longer exists", T0.plusSeconds(40));
        Transition cancelled = policy.cancel(retrying, "endpoint disabled", T0.plusSeconds(40));

        assertThat(rejected.delivery().attempts()).isEqualTo(3);
        assertThat(rejected.delivery().lastStatusCode()).isEqualTo(503);
        assertThat(rejected.delivery().nextAttemptAt()).isNull();
        assertThat(rejected.endpointUpdate()).isInstanceOf(EndpointUpdate.Unchanged.class);
        assertThat(cancelled.delivery().attempts()).isEqualTo(3);
        assertThat(cancelled.delivery().nextAttemptAt()).isNull();
        assertThat(cancelled.endpointUpdate()).isInstanceOf(EndpointUpdate.Unchanged.class);
    }

    @Test
    void next_on300_isARedirectNotFollowed_400WithLocationIsNot() {
        Transition multipleChoices = policy.next(pending, endpoint,
                HttpOutcome.response(300, LATENCY, "", false, "", "https://elsewhere.example.com/"), T0);
        Transition badRequest = policy.next(pending, endpoint,
                HttpOutcome.response(400, LATENCY, "", false, "", "https://elsewhere.example.com/"), T0);
        Transition lastRedirect = policy.next(pending, endpoint, HttpOutcome.response(399, LATENCY, "", false, "", ""),
                T0);

        assertThat(multipleChoices.delivery().lastError())
                .isEqualTo("HTTP 300 (redirect not followed, Location: https://elsewhere.example.com/)");
        assertThat(badRequest.delivery().lastError()).isEqualTo("HTTP 400");
        assertThat(lastRedirect.delivery().lastError()).isEqualTo("HTTP 399 (redirect not followed)");
    }

    @Test
    void next_responseBodyInTheError_isKeptUpTo200Characters() {
        String exactly200 = "e".repeat(200);
        String longer = "f".repeat(201);

        Transition whole = policy.next(pending, endpoint, HttpOutcome.response(500, LATENCY, exactly200, false, "", ""), T0);
        Transition cut = policy.next(pending, endpoint, HttpOutcome.response(500, LATENCY, longer, false, "", ""), T0);

        assertThat(whole.delivery().lastError()).isEqualTo("HTTP 500: " + exactly200);
        assertThat(cut.delivery().lastError()).isEqualTo("HTTP 500: " + "f".repeat(200) + "…");
    }

    @Test
    void defer_keepsTheAttemptCount_andIsDueAfterTheWait() {
        Transition t = policy.defer(pending, endpoint, Duration.ofSeconds(2), "deferred: rate limit", T0);

        assertThat(t.result()).isInstanceOf(Retry.class);
        assertThat(t.hasAttempt()).isFalse();
        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(t.delivery().attempts()).isZero();
        assertThat(t.delivery().nextAttemptAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(t.delivery().lastError()).isEqualTo("deferred: rate limit");
    }

    @Test
    void defer_beyondTheMaxAge_failsTheDelivery() {
        Instant late = T0.plus(RetrySchedule.defaults().maxAge());

        Transition t = policy.defer(pending, endpoint, Duration.ofSeconds(1), "deferred: rate limit", late);

        assertThat(t.result()).isInstanceOf(Exhausted.class);
        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(t.delivery().lastError()).startsWith("max age").endsWith("last: deferred: rate limit");
    }

    @Test
    void park_keepsTheAttemptCountAndLastStatus_andIsDueWhenTheCircuitMayLetItGo() {
        Delivery retried = policy.next(pending, endpoint, HttpOutcome.status(503, LATENCY), T0).delivery();
        Instant until = T0.plusSeconds(30);

        Transition t = policy.park(retried, endpoint, until, "parked: circuit open", T0.plusSeconds(1));

        assertThat(t.result()).isEqualTo(new Parked(until, "parked: circuit open"));
        assertThat(t.hasAttempt()).isFalse();
        assertThat(t.endpointUpdate()).isInstanceOf(EndpointUpdate.Unchanged.class);
        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(t.delivery().parked()).isTrue();
        assertThat(t.delivery().attempts()).isEqualTo(1);
        assertThat(t.delivery().nextAttemptAt()).isEqualTo(until);
        assertThat(t.delivery().lastStatusCode()).isEqualTo(503);
        assertThat(t.delivery().lastError()).isEqualTo("parked: circuit open");
        assertThat(t.delivery().updatedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void park_untilPastTheMaxAge_failsTheDeliveryWithTheReason() {
        Instant beyond = T0.plus(RetrySchedule.defaults().maxAge()).plusSeconds(1);

        Transition t = policy.park(pending, endpoint, beyond, "parked: circuit open", T0);

        assertThat(t.result()).isEqualTo(new Exhausted("max age " + RetrySchedule.defaults().maxAge()
                + " reached after 0 attempts; last: parked: circuit open"));
        assertThat(t.hasAttempt()).isFalse();
        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(t.delivery().parked()).isFalse();
        assertThat(t.delivery().nextAttemptAt()).isNull();
    }

    @Test
    void park_untilPastTheEndpointsOwnMaxAge_failsTheDelivery() {
        Endpoint shortLived = new Endpoint("ep_1", "https://example.com/hook", Set.of("order.paid"),
                List.of("whsec_c2VjcmV0"), true, "", 0, new RetrySchedule(List.of(Duration.ofSeconds(5)),
                Duration.ofMinutes(1)), null, "");

        Transition t = policy.park(pending, shortLived, T0.plusSeconds(61), "parked", T0);

        assertThat(t.result()).isInstanceOf(Exhausted.class);
        assertThat(t.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
    }

    @Test
    void withStatus_afterPark_unparks() {
        Delivery parked = policy.park(pending, endpoint, T0.plusSeconds(30), "parked", T0).delivery();

        Delivery released = parked.withStatus(DeliveryStatus.RETRYING, parked.attempts(), T0.plusSeconds(31),
                parked.lastStatusCode(), parked.lastError(), T0.plusSeconds(31));

        assertThat(released.parked()).isFalse();
        assertThat(released.status()).isEqualTo(DeliveryStatus.RETRYING);
    }
}
