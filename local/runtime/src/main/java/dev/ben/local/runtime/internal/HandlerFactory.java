package dev.ben.local.runtime.internal;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Creates handler instances from a {@code FunctionSpec}'s class name. A handler that declares a public
 * constructor taking {@code Map<String, String>} gets the function's environment through it (the local way,
 * since a JVM cannot change its own process environment); otherwise the public no-arg constructor is used,
 * which sees only {@code System.getenv()}.
 */
public final class HandlerFactory {
    private HandlerFactory() {
    }

    /** Empty when the class is not on the classpath; throws when it exists but cannot serve as a handler. */
    @SuppressWarnings("unchecked")
    public static Optional<Supplier<RequestHandler<Object, Object>>> forClassName(String className,
                                                                                 Map<String, String> env) {
        Class<?> type;
        try {
            type = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
        if (!RequestHandler.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " does not implement "
                    + RequestHandler.class.getName());
        }
        Constructor<?> withEnv = constructor(type, Map.class);
        Constructor<?> noArgs = constructor(type);
        if (withEnv == null && noArgs == null) {
            throw new IllegalArgumentException(className
                    + " needs a public constructor taking Map<String,String> (the function environment) or a public no-arg constructor");
        }
        Map<String, String> environment = Map.copyOf(env);
        return Optional.of(() -> {
            try {
                Object handler = withEnv != null ? withEnv.newInstance(environment) : noArgs.newInstance();
                return (RequestHandler<Object, Object>) handler;
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("constructor of " + className + " failed: " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot construct " + className + ": " + e, e);
            }
        });
    }

    private static Constructor<?> constructor(Class<?> type, Class<?>... parameters) {
        try {
            return type.getConstructor(parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
