package dev.ben.core.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void write_escapesEverythingRfc8259Requires() {
        String nasty = "quote\" backslash\\ newline\n cr\r tab\t nul\u0000 bell\u0007 ls\u2028 é 😀";

        String json = Json.write(Map.of("k", nasty));

        assertThat(json).doesNotContain("\n").doesNotContain("\u0000");
        assertThat(JsonReader.object(json)).containsEntry("k", nasty);
    }

    @Test
    void write_numbersBooleansNullNested() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("i", 3);
        m.put("l", 1764417600000L);
        m.put("d", 1.5);
        m.put("whole", 2.0);
        m.put("nan", Double.NaN);
        m.put("b", true);
        m.put("n", null);
        m.put("list", List.of(1, "a"));
        m.put("at", Instant.parse("2026-11-29T12:00:00Z"));

        String json = Json.write(m);

        assertThat(json).isEqualTo("{\"i\":3,\"l\":1764417600000,\"d\":1.5,\"whole\":2,\"nan\":null,\"b\":true,"
                + "\"n\":null,\"list\":[1,\"a\"],\"at\":\"2026-11-29T12:00:00Z\"}");
        assertThat(JsonReader.object(json)).containsEntry("list", Arrays.asList(1L, "a"));
    }

    @Test
    void write_keepsExactNumbersExactlyAsWritten() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("raw", new Json.RawNumber("12345678901234567890.000000001"));
        m.put("decimal", new BigDecimal("0.10"));

        String json = Json.write(m);

        assertThat(json).isEqualTo("{\"raw\":12345678901234567890.000000001,\"decimal\":0.10}");
    }

    @Test
    void rawNumber_refusesWhatIsNotANumber() {
        assertThatThrownBy(() -> new Json.RawNumber("1e5; drop")).isInstanceOf(NumberFormatException.class);
    }
}
