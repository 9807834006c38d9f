package dev.ben.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.lambda.model.Architecture;

class LocalStackArchitectureTest {

    @ParameterizedTest(name = "os.arch {0} -> {1}")
    @CsvSource({
            "aarch64, ARM64",
            "arm64, ARM64",
            "AARCH64, ARM64",
            "amd64, X86_64",
            "x86_64, X86_64",
    })
    void functionsOnLocalStack_declareTheHostsArchitecture(String osArch, Architecture expected) {
        assertThat(LocalStackArchitecture.forOsArch(osArch)).isEqualTo(expected);
    }
}
