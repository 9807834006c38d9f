package dev.ben.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ViewsTest {

    @Test
    void redact_keepsAPrefixOnly() {
        assertThat(Views.redact("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isEqualTo("whsec_MfKQ…");
    }
}
