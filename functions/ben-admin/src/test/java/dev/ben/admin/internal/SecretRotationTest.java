package dev.ben.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.admin.AdminException;
import dev.ben.core.egress.AddressPolicy;
import dev.ben.core.webhooks.WebhookSecret;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two rotation steps shared by endpoints and tenants (the table of {@link SecretRotation}). */
class SecretRotationTest {

    private static final String OLD = WebhookSecret.generate().encoded();
    private static final String NEW = WebhookSecret.generate().encoded();

    private final SecretRotation rotation = new SecretRotation(new EndpointRules(AddressPolicy.strict()));

    @Test
    void rotate_ofOneSecret_keepsTheOldFirst_andAddsTheGivenOne() {
        SecretRotation.Rotated rotated = rotation.rotate("tenant t", List.of(OLD), NEW);

        assertThat(rotated.secrets()).containsExactly(OLD, NEW);
        assertThat(rotated.added()).isEqualTo(NEW);
    }

    @Test
    void rotate_withoutASecret_generatesOne() {
        SecretRotation.Rotated rotated = rotation.rotate("tenant t", List.of(OLD), null);

        assertThat(rotated.added()).startsWith("whsec_").isNotEqualTo(OLD);
        assertThat(rotated.secrets()).containsExactly(OLD, rotated.added());
    }

    @Test
    void rotate_whileRotating_isAConflictNamingTheOwner() {
        assertThatThrownBy(() -> rotation.rotate("tenant t", List.of(OLD, NEW), null))
                .isInstanceOf(AdminException.class)
                .hasMessageContaining("tenant t is already rotating")
                .satisfies(e -> assertThat(((AdminException) e).kind()).isEqualTo(AdminException.Kind.CONFLICT));
    }

    @Test
    void rotate_toABadOrTheCurrentSecret_isInvalidOnTheSecretField() {
        assertThatThrownBy(() -> rotation.rotate("tenant t", List.of(OLD), "whsec_%%%"))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> rotation.rotate("tenant t", List.of(OLD), OLD))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("current secret of tenant t");
    }

    @Test
    void retire_keepsTheNewest_andOfOneSecretIsAConflict() {
        assertThat(rotation.retire("endpoint ep", List.of(OLD, NEW))).containsExactly(NEW);
        assertThatThrownBy(() -> rotation.retire("endpoint ep", List.of(OLD)))
                .isInstanceOf(AdminException.class)
                .hasMessageContaining("endpoint ep has a single secret; nothing to retire");
    }
}
