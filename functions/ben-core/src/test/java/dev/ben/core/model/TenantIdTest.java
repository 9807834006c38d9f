package dev.ben.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TenantIdTest {

    @Test
    void validId_neverAcceptsTheApisNoTenantSegmentNorDotSegments() {
        for (String reserved : List.of("_", ".", "..", "_x", "-x", ":x", "@x", "")) {
            assertThat(Tenant.validId(reserved)).as(reserved).isFalse();
        }
    }

    @Test
    void validId_acceptsIdsStartingWithALetterOrDigit() {
        for (String id : List.of("merchant-42", "a", "7", "A_b.c:d@e-f", "x".repeat(128))) {
            assertThat(Tenant.validId(id)).as(id).isTrue();
        }
        assertThat(Tenant.validId("x".repeat(129))).isFalse();
    }
}
