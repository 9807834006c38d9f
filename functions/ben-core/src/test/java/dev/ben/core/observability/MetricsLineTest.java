package dev.ben.core.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks lines against the EMF specification's structural rules. */
class MetricsLineTest {
    private static final Instant AT = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    @SuppressWarnings("unchecked")
    void toJson_followsEmfStructure() {
        String json = MetricsLine.ben().dimension("Function", "notify").count("Delivered", 3).count("Retried", 1)
                .millis("Latency", 87.5).property("requestId", "req-1").toJson(AT);

        Map<String, Object> root = JsonReader.object(json);
        Map<String, Object> aws = (Map<String, Object>) root.get("_aws");
        assertThat(aws.get("Timestamp")).isEqualTo(AT.toEpochMilli());
        List<Map<String, Object>> directives = (List<Map<String, Object>>) aws.get("CloudWatchMetrics");
        assertThat(directives).hasSize(1);
        Map<String, Object> d = directives.get(0);
        assertThat(d).containsEntry("Namespace", "Ben").containsEntry("Dimensions", List.of(List.of("Function")));
        assertThat((List<Map<String, Object>>) d.get("Metrics")).containsExactly(
                Map.of("Name", "Delivered", "Unit", "Count"), Map.of("Name", "Retried", "Unit", "Count"),
                Map.of("Name", "Latency", "Unit", "Milliseconds"));
        // Every referenced dimension and metric is a root member ("target members").
        assertThat(root).containsEntry("Function", "notify").containsEntry("Delivered", 3L)
                .containsEntry("Retried", 1L).containsEntry("Latency", 87.5).containsEntry("requestId", "req-1");
        assertThat(json).doesNotContain("\n");
    }

    @Test
    void repeatedMetric_becomesValueArray() {
        String json = MetricsLine.ben().dimension("Function", "retry").millis("Latency", 10).millis("Latency", 20)
                .toJson(AT);

        assertThat(JsonReader.object(json)).containsEntry("Latency", List.of(10L, 20L));
    }

    @Test
    void noDimensions_givesOneEmptyDimensionSet() {
        String json = MetricsLine.ben().count("Failed", 1).toJson(AT);

        assertThat(json).contains("\"Dimensions\":[[]]");
    }

    @Test
    void limitsAndCollisions_areRefused() {
        MetricsLine line = MetricsLine.ben();
        for (int i = 0; i < 30; i++) {
            line.dimension("d" + i, "v");
        }
        assertThatThrownBy(() -> line.dimension("d30", "v")).hasMessageContaining("30 dimensions");
        MetricsLine metrics = MetricsLine.ben();
        for (int i = 0; i < 100; i++) {
            metrics.count("m" + i, i);
        }
        assertThatThrownBy(() -> metrics.count("m100", 1)).hasMessageContaining("100 metrics");
        MetricsLine values = MetricsLine.ben();
        for (int i = 0; i < 100; i++) {
            values.millis("Latency", i);
        }
        assertThatThrownBy(() -> values.millis("Latency", 1)).hasMessageContaining("100 values");
        assertThatThrownBy(() -> MetricsLine.ben().dimension("Function", "x").count("Function", 1))
                .hasMessageContaining("already used");
        assertThatThrownBy(() -> MetricsLine.ben().millis("Latency", Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> MetricsLine.ben().count("Delivered", 1).millis("Delivered", 1))
                .hasMessageContaining("unit");
        assertThatThrownBy(() -> MetricsLine.ben().toJson(AT)).hasMessageContaining("at least one metric");
        assertThatThrownBy(() -> MetricsLine.ben().property("_aws", 1)).hasMessageContaining("reserved");
    }

    @Test
    void sameDimensionTwice_keepsLastValue() {
        String json = MetricsLine.ben().dimension("Function", "a").dimension("Function", "b").count("X", 1).toJson(AT);

        assertThat(JsonReader.object(json)).containsEntry("Function", "b");
    }

    @Test
    void properties_areRedactedLikeLogs() {
        String json = MetricsLine.ben().count("X", 1).property("secret", "whsec_abc").toJson(AT);

        assertThat(json).doesNotContain("whsec_abc");
    }
}
