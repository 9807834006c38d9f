package dev.ben.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void secrets_areShownOnlyWhenTheApiReturnsOne_asTheNewestOfTheirCount() throws Exception {
        var created = JSON.readTree("{\"tenantId\":\"t1\",\"allowedHosts\":[],\"secretCount\":1,\"secret\":\"whsec_a\"}");
        var rotating = JSON.readTree("{\"tenantId\":\"t1\",\"allowedHosts\":[],\"secretCount\":2,\"secret\":\"whsec_b\"}");
        var read = JSON.readTree("{\"tenantId\":\"t1\",\"allowedHosts\":[\"x.example\"],\"secretCount\":2}");

        assertThat(Views.tenant(created).get("secrets")).asList().containsExactly("whsec_a");
        assertThat(Views.tenant(rotating).get("secrets")).asList().containsExactly(Views.REDACTED, "whsec_b");
        assertThat(Views.tenant(read).get("secrets")).asList().containsExactly(Views.REDACTED, Views.REDACTED);
    }

    @Test
    void endpoint_showsTheDefaultScheduleAndTheCircuitAsTheCliAlwaysHas() throws Exception {
        var e = JSON.readTree("{\"endpointId\":\"ep_1\",\"tenantId\":null,\"url\":\"https://x.example/h\","
                + "\"eventTypes\":[\"a.b\"],\"enabled\":true,\"disabledReason\":null,\"rateLimitPerSecond\":0,"
                + "\"retrySchedule\":null,\"headers\":{\"X-Team\":\"pay\"},\"failingSince\":null,"
                + "\"circuit\":{\"state\":\"OPEN\",\"retryAt\":\"2030-01-01T00:00:30Z\",\"reason\":\"HTTP 503\"},"
                + "\"secretCount\":1}");

        var view = Views.endpoint(e);

        assertThat(view).containsEntry("retrySchedule", "default").containsEntry("disabledReason", "")
                .containsEntry("circuit", "OPEN").containsEntry("circuitRetryAt", "2030-01-01T00:00:30Z")
                .containsEntry("circuitReason", "HTTP 503").containsEntry("tenantId", null);
        assertThat(view.get("headers")).isEqualTo(Map.of("X-Team", "pay"));
    }
}
