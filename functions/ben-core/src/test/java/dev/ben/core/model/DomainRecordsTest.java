package dev.ben.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.core.retry.RetrySchedule;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DomainRecordsTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void endpoint_toString_neverContainsSecrets() {
        Endpoint e = Endpoint.of("ep_1", "https://example.com/hook", Set.of("order.paid"),
                List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_secondSECRETvalue"));

        assertThat(e.toString()).doesNotContain("MfKQ9r8").doesNotContain("secondSECRET").contains("2 redacted");
    }

    @Test
    void endpoint_secrets_mustBeOneOrTwoWhsecValues() {
        assertThatThrownBy(() -> Endpoint.of("ep", "https://x", Set.of("*"), List.of()))
                .hasMessageContaining("1 or 2");
        assertThatThrownBy(() -> Endpoint.of("ep", "https://x", Set.of("*"), List.of("whsec_a", "whsec_b", "whsec_c")))
                .hasMessageContaining("1 or 2");
        assertThatThrownBy(() -> Endpoint.of("ep", "https://x", Set.of("*"), List.of("plain")))
                .hasMessageContaining("whsec_");
    }

    @Test
    void endpoint_subscribes_exactTypeOrWildcard() {
        Endpoint typed = Endpoint.of("ep", "https://x", Set.of("order.paid"), List.of("whsec_a"));
        Endpoint all = Endpoint.of("ep", "https://x", Set.of("*"), List.of("whsec_a"));

        assertThat(typed.subscribes("order.paid")).isTrue();
        assertThat(typed.subscribes("order.shipped")).isFalse();
        assertThat(all.subscribes("order.shipped")).isTrue();
    }

    @Test
    void endpoint_scheduleOr_prefersOwnSchedule() {
        RetrySchedule own = RetrySchedule.parse("1s,2s");
        Endpoint e = new Endpoint("ep", "https://x", Set.of("*"), List.of("whsec_a"), true, "", 0, own, null, "");

        assertThat(e.scheduleOr(RetrySchedule.defaults())).isSameAs(own);
        assertThat(Endpoint.of("ep", "https://x", Set.of("*"), List.of("whsec_a"))
                .scheduleOr(RetrySchedule.defaults())).isSameAs(RetrySchedule.defaults());
    }

    @Test
    void delivery_pending_hasDeterministicIdAndIsDueNow() {
        Event event = Event.of(EventIds.eventId("orders", "rec-1"), "order.paid", "o-1", NOW, "{}");

        Delivery d = Delivery.pending(event, "ep_1", NOW);

        assertThat(d.id()).isEqualTo(EventIds.deliveryId(event.id(), "ep_1"));
        assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(d.attempts()).isZero();
        assertThat(d.nextAttemptAt()).isEqualTo(NOW);
        assertThat(d.entityId()).isEqualTo("o-1");
    }

    @Test
    void delivery_terminal_dropsNextAttempt_openRequiresIt() {
        Event event = Event.of("evt_1", "order.paid", "o-1", NOW, "{}");
        Delivery d = Delivery.pending(event, "ep", NOW);

        Delivery done = d.withStatus(DeliveryStatus.DELIVERED, 1, NOW, 200, "", NOW);

        assertThat(done.nextAttemptAt()).isNull();
        assertThatThrownBy(() -> d.withStatus(DeliveryStatus.RETRYING, 1, null, 500, "HTTP 500", NOW))
                .hasMessageContaining("nextAttemptAt");
    }

    @Test
    void deliveryStatus_terminalStates() {
        assertThat(DeliveryStatus.values()).filteredOn(DeliveryStatus::terminal)
                .containsExactlyInAnyOrder(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED);
    }
}
