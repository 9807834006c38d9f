package dev.ben.local.runtime.internal;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/**
 * Handler instances of one function, like Lambda execution environments: an invocation takes an idle
 * instance or creates one ("cold start"), and gives it back afterwards, so one instance never runs two
 * invocations at once. A handler instance supplied by a test is shared instead (it must be thread-safe if
 * its function is invoked concurrently).
 */
public final class HandlerPool {
    private final Supplier<RequestHandler<Object, Object>> factory;
    private final RequestHandler<Object, Object> shared;
    private final ConcurrentLinkedDeque<RequestHandler<Object, Object>> idle = new ConcurrentLinkedDeque<>();

    private HandlerPool(Supplier<RequestHandler<Object, Object>> factory, RequestHandler<Object, Object> shared) {
        this.factory = factory;
        this.shared = shared;
    }

    public static HandlerPool creating(Supplier<RequestHandler<Object, Object>> factory) {
        return new HandlerPool(factory, null);
    }

    public static HandlerPool sharing(RequestHandler<Object, Object> instance) {
        return new HandlerPool(null, instance);
    }

    public RequestHandler<Object, Object> acquire() {
        if (shared != null) {
            return shared;
        }
        RequestHandler<Object, Object> handler = idle.pollFirst();
        return handler != null ? handler : factory.get();
    }

    public void release(RequestHandler<Object, Object> handler) {
        if (shared == null) {
            idle.addFirst(handler);
        }
    }
}
