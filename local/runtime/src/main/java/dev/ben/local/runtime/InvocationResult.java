package dev.ben.local.runtime;

/** Outcome of one invocation: the handler's response, or the error Lambda would report. */
public sealed interface InvocationResult {

    String requestId();

    /** The handler returned (possibly {@code null}). */
    record Success(String requestId, Object response) implements InvocationResult {
    }

    /** The handler threw, or ran past the function timeout ({@code errorType} {@code Sandbox.Timedout}). */
    record Failure(String requestId, String errorType, String errorMessage) implements InvocationResult {
    }
}
