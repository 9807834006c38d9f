package dev.ben.local.stack;

import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts one {@link LocalAws} per test run (shared by every test class that uses it,
 * stopped when the run ends) and injects it into test constructors and methods:
 *
 * <pre>{@code
 * @ExtendWith(LocalAwsExtension.class)
 * class MyIT {
 *     @Test
 *     void something(LocalAws aws) { ... }
 * }
 * }</pre>
 *
 * <p>The target is the Docker-free local stack, unless the system property {@code ben.target} or the
 * environment variable {@code BEN_TARGET} says {@code localstack}: then the same tests run against LocalStack
 * (Testcontainers), and are skipped - not failed - with a clear reason when Docker is not available.
 */
public final class LocalAwsExtension implements ParameterResolver, ExecutionCondition {

    /** System property choosing the target ({@code local} or {@code localstack}). */
    public static final String TARGET_PROPERTY = "ben.target";
    /** Environment variable choosing the target, when the system property is not set. */
    public static final String TARGET_ENV = "BEN_TARGET";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalAwsExtension.class);

    /** Skips (never fails) tests when the target is LocalStack and Docker is not available. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (targetsLocalStack() && !LocalStackTarget.dockerAvailable()) {
            return ConditionEvaluationResult.disabled(dockerMissing(context));
        }
        return ConditionEvaluationResult.enabled("target: " + (targetsLocalStack() ? "LocalStack" : "local stack"));
    }

    private static String dockerMissing(ExtensionContext context) {
        return TARGET_ENV + "=localstack, but Docker is not available: skipping " + context.getDisplayName()
                + " (start Docker to run it against LocalStack " + LocalStackTarget.image() + ", or unset "
                + TARGET_ENV + " to use the Docker-free local stack)";
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalAws.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    /** True when this run targets LocalStack. */
    public static boolean targetsLocalStack() {
        String target = System.getProperty(TARGET_PROPERTY, System.getenv(TARGET_ENV));
        return target != null && target.trim().toLowerCase(Locale.ROOT).equals("localstack");
    }

    /** The stack of this test run, started on first use; aborts (skips) the test when LocalStack lacks Docker. */
    public static LocalAws shared(ExtensionContext context) {
        boolean localStack = targetsLocalStack();
        if (localStack && !LocalStackTarget.dockerAvailable()) {
            Assumptions.abort(dockerMissing(context));
        }
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(localStack ? "localstack" : "local",
                key -> localStack ? LocalAws.startLocalStack() : LocalAws.start(), LocalAws.class);
    }
}
