package dev.ben.core.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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

    @Test
    void ofBytes_keepsItsOwnCopyOfTheKey() {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        String expected = "whsec_" + Base64.getEncoder().encodeToString(key);

        WebhookSecret secret = WebhookSecret.ofBytes(key);
        key[0] = 'X';

        assertThat(secret.encoded()).isEqualTo(expected);
    }

    @Test
    void ofBytes_emptyKey_isBadSecretFormat() {
        assertThatThrownBy(() -> WebhookSecret.ofBytes(new byte[0]))
                .isInstanceOfSatisfying(WebhookVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.BAD_SECRET_FORMAT));
    }

    @Test
    void equality_followsTheKeyBytes() {
        WebhookSecret secret = WebhookSecret.generate();
        WebhookSecret same = WebhookSecret.parse(secret.encoded());

        assertThat(same).isEqualTo(secret).hasSameHashCodeAs(secret);
        assertThat(WebhookSecret.generate()).isNotEqualTo(secret);
        assertThat(secret).isNotEqualTo(secret.encoded());
    }
}
