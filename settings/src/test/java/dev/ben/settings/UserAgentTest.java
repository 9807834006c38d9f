package dev.ben.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UserAgentTest {

    @Test
    void function_isReadBackFromAnSdkUserAgentCarryingTheSuffix() {
        String header = "aws-sdk-java/2.57.8 ua/2.1 os/Linux#6.1 lang/java#21 md/internal cfg/retry-mode#legacy "
                + UserAgent.suffix("status-api");

        assertThat(UserAgent.function(header)).contains("status-api");
    }

    @Test
    void function_isEmpty_forClientsWithoutTheSuffix() {
        assertThat(UserAgent.function("aws-sdk-java/2.57.8 ua/2.1 os/Linux#6.1")).isEmpty();
        assertThat(UserAgent.function(null)).isEmpty();
    }

    @Test
    void suffix_refusesNamesThatWouldBreakTheHeader() {
        assertThatThrownBy(() -> UserAgent.suffix("two words")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two words");
    }
}
