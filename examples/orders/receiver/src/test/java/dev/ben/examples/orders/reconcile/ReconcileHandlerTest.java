package dev.ben.examples.orders.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.ben.events.SampleEvents;
import dev.ben.examples.orders.internal.JsonLines;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.RecordingOrderStore;
import dev.ben.examples.orders.testing.MemoryIdempotencyStore;
import dev.ben.receiver.kit.IdempotentExecutor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileHandlerTest {

    @Test
    void sampleScheduledEvent_runsReconcileAndReturnsSummaryAndEmf() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T22:15:00Z"), ZoneOffset.UTC);
        RecordingOrderStore orders = new RecordingOrderStore();
        orders.orders.put("ord_1001", new OrderState("ord_1001", "PENDING", 1, "2026-11-29T21:00:00Z"));
        StatusApi a = id -> new StatusApi.Lookup.Found(new OrderState(id, "PAID", 2, "2026-11-29T21:01:00Z"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLines log = new JsonLines(new PrintStream(out, true), clock, "reconcile");
        ReconcileHandler handler = new ReconcileHandler(new Reconciler(orders, a,
                IdempotentExecutor.builder().store(new MemoryIdempotencyStore()).clock(clock).build(), ScanCursor.NONE,
                new Reconciler.Settings(Duration.ofMinutes(15), 10, 10), clock, log), log, () -> { });

        Map<String, Object> summary = handler.handleRequest(
                SampleEvents.load(SampleEvents.SCHEDULE_RECONCILE, ScheduledEvent.class), null);

        assertThat(summary).containsEntry("checked", 1).containsEntry("fixed", 1).containsEntry("errors", 0);
        assertThat(orders.orders.get("ord_1001").status()).isEqualTo("PAID");
        assertThat(out.toString()).contains("\"_aws\"").contains("\"CloudWatchMetrics\"").contains("\"fixed\":1");
    }

    @Test
    void missingStatusApiUrl_failsFastWithClearMessage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReconcileHandler(Map.of("AWS_REGION", "us-east-1")))
                .hasMessageContaining("BEN_STATUS_API_URL");
    }

    @Test
    void badPendingAfter_failsFastNamingTheVariable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReconcileHandler(Map.of("AWS_REGION", "us-east-1",
                        "BEN_STATUS_API_URL", "http://127.0.0.1:1", "BEN_STATUS_API_TOKEN", "t",
                        ReconcileHandler.PENDING_AFTER, "15 minutes")))
                .hasMessageContaining("BEN_RECONCILE_PENDING_AFTER").hasMessageContaining("PT15M");
    }

    @Test
    void authorizer_withStatusApiToken_usesBearerToken() {
        var headers = ReconcileHandler.authorizer(Map.of("BEN_STATUS_API_TOKEN", "local-token"))
                .headers("GET", java.net.URI.create("http://127.0.0.1:9/orders/x"));

        assertThat(headers).containsExactly(Map.entry("Authorization", "Bearer local-token"));
    }

    @Test
    void authorizer_withoutToken_signsWithSigV4FromTheFunctionsRoleCredentials() {
        var authorizer = ReconcileHandler.authorizer(Map.of("AWS_REGION", "eu-central-1",
                "AWS_ACCESS_KEY_ID", "ASIAROLE", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_SESSION_TOKEN", "session"));

        var headers = authorizer.headers("GET",
                java.net.URI.create("https://abc.execute-api.eu-central-1.amazonaws.com/orders/x"));

        assertThat(authorizer).isInstanceOf(dev.ben.examples.orders.reconcile.internal.SigV4RequestSigner.class);
        assertThat(headers.get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=ASIAROLE/").contains("/eu-central-1/execute-api/aws4_request");
        assertThat(headers).containsEntry("X-Amz-Security-Token", "session");
    }

    @Test
    void authorizer_withoutTokenOrRegion_failsFastNamingBoth() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReconcileHandler.authorizer(Map.of()))
                .hasMessageContaining("AWS_REGION").hasMessageContaining("BEN_STATUS_API_TOKEN");
    }
}
