package dev.ben.core.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookSecretTest {

    @Test
    void generate_producesWhsecPrefixedBase64OfThirtyTwoRandomBytes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String encoded = WebhookSecret.generate().encoded();
            assertThat(encoded).startsWith("whsec_");
            assertThat(Base64.getDecoder().decode(encoded.substring(6))).hasSize(32);
            seen.add(encoded);
        }

        assertThat(seen).hasSize(100);
    }

    @Test
    void parse_roundTripsAndPrefixIsOptional() {
        WebhookSecret secret = WebhookSecret.generate();

        assertThat(WebhookSecret.parse(secret.encoded())).isEqualTo(secret);
        assertThat(WebhookSecret.parse(secret.encoded().substring(6))).isEqualTo(secret);
    }

    @Test
    void toString_neverRevealsTheKey() {
        WebhookSecret secret = WebhookSecret.generate();

        assertThat(secret.toString()).doesNotContain(secret.encoded().substring(6)).contains("redacted");
    }
}
