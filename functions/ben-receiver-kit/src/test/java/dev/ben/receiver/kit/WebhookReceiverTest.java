package dev.ben.receiver.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.webhooks.SignedHeaders;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {

    private static final byte[] BODY = "{\"type\":\"order.paid\"}".getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T23:00:00Z"));
    private final WebhookSecret secret = WebhookSecret.generate();
    private final WebhookReceiver receiver = WebhookReceiver.builder().secrets(secret.encoded())
            .executor(IdempotentExecutor.builder().store(new InMemoryStore()).clock(clock).build())
            .clock(clock).build();
    private final AtomicInteger runs = new AtomicInteger();

    private Map<String, String> signed(Instant at) {
        SignedHeaders headers = WebhookSigner.of(List.of(secret)).sign("evt_1", at, BODY);
        return new HashMap<>(headers.asMap());
    }

    private WebhookResponse count(WebhookMessage message) {
        runs.incrementAndGet();
        assertThat(message.id()).isEqualTo("evt_1");
        assertThat(message.body()).isEqualTo(BODY);
        return WebhookResponse.noContent();
    }

    @Test
    void handle_validSignature_runsHandlerOnceAndReplaysDuplicate() {
        WebhookResult first = receiver.handle(signed(clock.instant()), BODY, this::count);
        WebhookResult second = receiver.handle(signed(clock.instant()), BODY, this::count);

        assertThat(first.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(second.disposition()).isEqualTo(Disposition.REPLAYED);
        assertThat(second.response().statusCode()).isEqualTo(204);
        assertThat(runs).hasValue(1);
    }

    @Test
    void handle_missingHeader_400WithReasonAndHandlerNotRun() {
        Map<String, String> headers = signed(clock.instant());
        headers.remove("webhook-timestamp");

        WebhookResult result = receiver.handle(headers, BODY, this::count);

        assertThat(result.disposition()).isEqualTo(Disposition.REJECTED);
        assertThat(result.response().statusCode()).isEqualTo(400);
        assertThat(result.response().body()).contains("\"error\":\"missing_header\"").contains("webhook-timestamp");
        assertThat(runs).hasValue(0);
    }

    @Test
    void handle_staleTimestamp_401WithReason() {
        WebhookResult result = receiver.handle(signed(clock.instant().minus(Duration.ofMinutes(6))), BODY, this::count);

        assertThat(result.response().statusCode()).isEqualTo(401);
        assertThat(result.response().body()).contains("\"error\":\"stale_timestamp\"");
        assertThat(runs).hasValue(0);
    }

    @Test
    void handle_tamperedBody_401NoMatchingSignature() {
        WebhookResult result = receiver.handle(signed(clock.instant()), "{\"type\":\"order.refunded\"}"
                .getBytes(StandardCharsets.UTF_8), this::count);

        assertThat(result.response().statusCode()).isEqualTo(401);
        assertThat(result.response().body()).contains("no_matching_signature");
        assertThat(runs).hasValue(0);
    }
}
