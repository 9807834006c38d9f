package dev.ben.core.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogTest {
    private final List<String> lines = new ArrayList<>();
    private final JsonLog log = new JsonLog("notify", Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC),
            lines::add);

    @Test
    void info_writesOneJsonObjectWithIdsAndContext() {
        log.with("requestId", "req-1").info("delivered", Map.of("eventId", "evt_1", "deliveryId", "dlv_1",
                "statusCode", 200));

        assertThat(lines).hasSize(1);
        Map<String, Object> line = JsonReader.object(lines.get(0));
        assertThat(line).containsEntry("timestamp", "2026-11-29T12:00:00Z").containsEntry("level", "INFO")
                .containsEntry("function", "notify").containsEntry("message", "delivered")
                .containsEntry("requestId", "req-1").containsEntry("eventId", "evt_1")
                .containsEntry("deliveryId", "dlv_1").containsEntry("statusCode", 200L);
    }

    @Test
    void secrets_areRedactedByNameAndByValue() {
        log.info("endpoint loaded", Map.of("secret", "abc", "webhookSignature", "v1,xyz", "Authorization", "Bearer t",
                "note", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "headers", Map.of("webhook-signature", "v1,zzz"),
                "statusApiToken", "t0k3n"));

        String line = lines.get(0);
        assertThat(line).doesNotContain("abc").doesNotContain("xyz").doesNotContain("Bearer t")
                .doesNotContain("MfKQ9r8").doesNotContain("zzz").doesNotContain("t0k3n");
        assertThat(JsonReader.object(line)).containsEntry("secret", JsonLog.REDACTED)
                .containsEntry("note", JsonLog.REDACTED);
    }

    @Test
    void error_recordsTypeMessageAndFirstFrame() {
        log.error("store failed", Map.of("deliveryId", "dlv_1"), new IllegalStateException("throttled",
                new RuntimeException("inner")));

        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) JsonReader.object(lines.get(0)).get("error");
        assertThat(error).containsEntry("type", "java.lang.IllegalStateException").containsEntry("message", "throttled")
                .containsKey("at").containsEntry("cause", "java.lang.RuntimeException: inner");
    }

    @Test
    void fixedFields_cannotBeOverriddenByCallers() {
        log.info("real", Map.of("message", "forged", "level", "ERROR"));

        assertThat(JsonReader.object(lines.get(0))).containsEntry("message", "real").containsEntry("level", "INFO");
    }
}
