package dev.ben.receiver.kit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void escape_quotesBackslashesAndControlCharacters_keepsSpacesAndText() {
        assertThat(Json.escape("say \"hi\"\\ now\n\r\t\u0001\u001f \u00e9"))
                .isEqualTo("say \\\"hi\\\"\\\\ now\\n\\r\\t\\u0001\\u001f \u00e9");
    }
}
