package dev.ben.infra;

import dev.ben.settings.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.services.lambda.Code;

/** Where a function's deployment artifact comes from. */
@FunctionalInterface
public interface FunctionCode {

    /** Path of a module's shaded deployment jar, relative to the module directory (see the module's POM). */
    String SHADED_JAR = "target/function.jar";

    Code codeFor(FunctionSpec function);

    /**
     * The shaded jar of each function's Maven module ({@code <repoRoot>/<module>/target/function.jar}).
     * Fails with the build command to run when a jar is missing.
     */
    static FunctionCode shadedJars(Path repoRoot) {
        return function -> {
            Path jar = repoRoot.resolve(function.module()).resolve(SHADED_JAR).normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("Deployment jar of function '" + function.logicalName()
                        + "' not found at " + jar + ". Build it first: ./mvnw -pl " + function.module()
                        + " -am package -DskipTests");
            }
            return Code.fromAsset(jar.toString());
        };
    }
}
