package dev.ben.core.http;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets a caller end one request before its deadline (a notify batch stops waiting for its stragglers): the sender
 * closes the connection and answers {@link ErrorKind#CUT_OFF} with the reason. Cutting twice keeps the first reason.
 */
public final class CutOff {

    private final AtomicReference<String> reason = new AtomicReference<>();
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();

    /** Cuts the request off now (or as soon as it starts). */
    public void cut(String why) {
        if (reason.compareAndSet(null, why)) {
            actions.forEach(Runnable::run);
        }
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason.get());
    }

    /** Runs {@code action} when the request is cut off, at once when it already was. */
    void onCut(Runnable action) {
        actions.add(action);
        if (reason.get() != null) {
            action.run();
        }
    }
}
