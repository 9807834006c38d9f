package dev.ben.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomHeadersTest {

    @Test
    void problem_refusesEveryNameBenSets_caseInsensitively() {
        for (String name : List.of("webhook-id", "Webhook-Timestamp", "WEBHOOK-SIGNATURE", "webhook-anything",
                "Content-Type", "content-length", "Host", "User-Agent", "Transfer-Encoding", "Connection",
                "Proxy-Authorization", "Expect")) {
            assertThat(CustomHeaders.problem(Map.of(name, "x"))).as(name).get().asString()
                    .contains("set by Ben and cannot be overridden");
        }
    }

    @Test
    void problem_acceptsOrdinaryHeaders_includingAnAuthorizationForTheReceiver() {
        assertThat(CustomHeaders.problem(Map.of("X-Partner", "acme corp", "Authorization", "Bearer abc",
                "X-Empty", ""))).isEmpty();
    }

    @Test
    void problem_refusesMalformedNamesAndValues() {
        assertThat(CustomHeaders.problem(Map.of("Bad Name", "x"))).get().asString().contains("HTTP token");
        assertThat(CustomHeaders.problem(Map.of("", "x"))).isPresent();
        assertThat(CustomHeaders.problem(Map.of("X-A", "line\r\nX-Evil: 1"))).get().asString()
                .contains("without line breaks");
        assertThat(CustomHeaders.problem(Map.of("X-A", " leading"))).isPresent();
        assertThat(CustomHeaders.problem(Map.of("X-A", "ünïcødé"))).isPresent();
        assertThat(CustomHeaders.problem(Map.of("X-A", "a".repeat(CustomHeaders.MAX_VALUE_LENGTH + 1)))).isPresent();
        assertThat(CustomHeaders.problem(Map.of("X-" + "a".repeat(CustomHeaders.MAX_NAME_LENGTH), "x"))).isPresent();
    }

    @Test
    void problem_boundsTheCountTheTotalSizeAndDuplicates() {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i <= CustomHeaders.MAX_COUNT; i++) {
            many.put("X-H" + i, "v");
        }
        Map<String, String> big = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            big.put("X-Big" + i, "a".repeat(1000));
        }
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("X-Same", "1");
        twice.put("x-same", "2");

        assertThat(CustomHeaders.problem(many)).get().asString().contains("at most 20");
        assertThat(CustomHeaders.problem(big)).get().asString().contains("at most 4096");
        assertThat(CustomHeaders.problem(twice)).get().asString().contains("given twice");
        assertThat(CustomHeaders.problem(Map.of("X-Fits", "a".repeat(1000)))).isEmpty();
    }

    @Test
    void sendable_dropsReservedAndMalformedOnes_keepsTheRest() {
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("webhook-id", "forged");
        stored.put("Content-Type", "text/plain");
        stored.put("X-Ok", "yes");
        stored.put("X-Bad", "a\nb");
        stored.put("x-ok", "duplicate");

        assertThat(CustomHeaders.sendable(stored)).containsExactly(Map.entry("X-Ok", "yes"));
    }
}
