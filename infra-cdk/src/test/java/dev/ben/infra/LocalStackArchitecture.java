package dev.ben.infra;

import java.util.Locale;
import software.amazon.awssdk.services.lambda.model.Architecture;

/**
 * The Lambda architecture to declare for functions on LocalStack: the host's, so that LocalStack 4.14.0 pulls
 * and runs the java21 runtime image natively ({@code docker_platform()} maps {@code arm64} to
 * {@code linux/arm64}, {@code x86_64} to {@code linux/amd64}). Declaring x86_64 on an ARM laptop runs Java
 * emulated; in AWS the stack deploys arm64 ({@link BenNotification}).
 */
final class LocalStackArchitecture {

    private LocalStackArchitecture() {
    }

    /** {@code arm64} for {@code os.arch} {@code aarch64} or {@code arm64}, otherwise {@code x86_64}. */
    static Architecture forOsArch(String osArch) {
        String arch = osArch == null ? "" : osArch.trim().toLowerCase(Locale.ROOT);
        return arch.equals("aarch64") || arch.equals("arm64") ? Architecture.ARM64 : Architecture.X86_64;
    }

    static Architecture ofThisHost() {
        return forOsArch(System.getProperty("os.arch"));
    }
}
