package dev.ben.local.runtime.internal;

import dev.ben.local.runtime.InvocationResult;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A deployed local function: invokes its handler with a fresh {@link LocalContext}, enforces the function
 * timeout, and logs a handler error once, with the request id.
 */
public final class LambdaFunction {
    private final FunctionIdentity identity;
    private final Duration timeout;
    private final Map<String, String> environment;
    private final HandlerPool handlers;
    private final ExecutorService executor;
    private final PrintStream handlerOutput;
    private final RuntimeLog log;

    public LambdaFunction(FunctionIdentity identity, Duration timeout, Map<String, String> environment,
                   HandlerPool handlers, ExecutorService executor, PrintStream handlerOutput, RuntimeLog log) {
        this.identity = identity;
        this.timeout = timeout;
        this.environment = Map.copyOf(environment);
        this.handlers = handlers;
        this.executor = executor;
        this.handlerOutput = handlerOutput;
        this.log = log;
    }

    public String name() {
        return identity.name();
    }

    public FunctionIdentity identity() {
        return identity;
    }

    /** The environment the function's handler was constructed with. */
    public Map<String, String> environment() {
        return environment;
    }

    /** Invokes the handler synchronously (RequestResponse) and waits at most the function timeout. */
    public InvocationResult invoke(Object event) {
        String requestId = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + timeout.toNanos();
        LocalContext context = new LocalContext(requestId, identity, deadline, new LocalLambdaLogger(handlerOutput));
        Future<Object> running;
        try {
            running = executor.submit(() -> {
                RequestHandler<Object, Object> handler = handlers.acquire();
                try {
                    return handler.handleRequest(event, context);
                } finally {
                    handlers.release(handler);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            return new InvocationResult.Failure(requestId, "Runtime.Stopped", "the local runtime is stopping");
        }
        try {
            return new InvocationResult.Success(requestId, running.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            running.cancel(true);
            String message = "Task timed out after " + timeout.toMillis() / 1000.0 + " seconds";
            log.error(identity.name(), requestId, message, null);
            return new InvocationResult.Failure(requestId, "Sandbox.Timedout", message);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.lang.reflect.UndeclaredThrowableException u
                    ? u.getCause() : e.getCause();
            log.error(identity.name(), requestId, "handler failed", cause);
            return new InvocationResult.Failure(requestId, cause.getClass().getName(), String.valueOf(cause.getMessage()));
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            return new InvocationResult.Failure(requestId, "Runtime.Stopped", "invocation interrupted");
        } catch (java.util.concurrent.CancellationException e) {
            return new InvocationResult.Failure(requestId, "Runtime.Stopped", "invocation cancelled");
        }
    }

}
