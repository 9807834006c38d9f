package dev.ben.local.stack;

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
 */
public final class LocalAwsExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalAwsExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalAws.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    /** The stack of this test run, started on first use. */
    public static LocalAws shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(LocalAws.class, type -> LocalAws.start(),
                LocalAws.class);
    }
}
