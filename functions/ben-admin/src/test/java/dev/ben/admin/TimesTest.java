package dev.ben.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.core.time.TimeArguments;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimesTest {

    private final Instant now = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void parseSince_acceptsRelativeDurationsAndUtcTimes() {
        assertThat(Times.parseSince("90m", now)).isEqualTo(Instant.parse("2026-11-29T10:30:00Z"));
        assertThat(Times.parseSince("24h", now)).isEqualTo(Instant.parse("2026-11-28T12:00:00Z"));
        assertThat(Times.parseSince("7d", now)).isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
        assertThat(Times.parseSince("1h30m", now)).isEqualTo(Instant.parse("2026-11-29T10:30:00Z"));
        assertThat(Times.parseSince("PT2H", now)).isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(Times.parseSince("2026-11-01", now)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(Times.parseSince("2026-11-01T08:15", now)).isEqualTo(Instant.parse("2026-11-01T08:15:00Z"));
        assertThat(Times.parseSince("2026-11-01T08:15:00Z", now)).isEqualTo(Instant.parse("2026-11-01T08:15:00Z"));
    }

    @Test
    void parseSince_refusesGarbageAsInvalidSince() {
        for (String bad : List.of("", "yesterday", "10", "5x", "h5", "1h 2q", "2026-13-01")) {
            assertThatThrownBy(() -> Times.parseSince(bad, now)).as(bad).isInstanceOf(AdminException.class)
                    .satisfies(e -> assertThat(((AdminException) e).kind()).isEqualTo(AdminException.Kind.INVALID))
                    .satisfies(e -> assertThat(((AdminException) e).field()).contains("since"));
        }
    }

    @Test
    void stored_usesTheSendersFixedWidthSortableFormat() {
        assertThat(Times.stored(Instant.parse("2026-11-29T10:00:00Z"))).isEqualTo("2026-11-29T10:00:00.000Z");
        assertThat(Times.stored(Instant.parse("2026-11-29T10:00:00.5Z"))).isEqualTo("2026-11-29T10:00:00.500Z");
        assertThat(TimeArguments.parseDuration("15s")).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void cursor_roundTrips_andRefusesForeignText() {
        Map<String, String> key = Map.of("deliveryId", "dlv_1", "endpointId", "ep_1", "createdAt", "2026-11-29T10:00:00.000Z");

        String cursor = Cursor.encode(key);

        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(Cursor.decode(cursor)).isEqualTo(key);
        assertThat(Cursor.decode(null)).isEmpty();
        assertThat(Cursor.encode(Map.of())).isEmpty();
        assertThatThrownBy(() -> Cursor.decode("%%%")).isInstanceOf(AdminException.class)
                .satisfies(e -> assertThat(((AdminException) e).field()).contains("cursor"));
        assertThatThrownBy(() -> Cursor.decode(Cursor.encode(Map.of("x", "y")))).isInstanceOf(AdminException.class);
    }

    @Test
    void percentiles_nearestRank() {
        List<Long> values = new ArrayList<>();
        for (long i = 1; i <= 200; i++) {
            values.add(i);
        }

        Map<String, Object> p = Stats.percentiles(values);

        assertThat(p).containsEntry("p50", 100L).containsEntry("p99", 198L).containsEntry("max", 200L)
                .containsEntry("count", 200);
        assertThat(Stats.percentiles(List.of(7L))).containsEntry("p50", 7L).containsEntry("p99", 7L);
        assertThat(Stats.percentiles(List.of())).containsEntry("p50", null);
    }
}
