package dev.ben.sender.internal;

import dev.ben.core.http.CutOff;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The attempts of one batch. Once every task has started and the batch has had no attempt finish for the straggler
 * grace, the attempts still in flight (each for at least the grace) are cut off into the retry queue: one slow
 * receiver then holds its batch — and the records behind it on the stream shard — for the grace, not for the whole
 * time budget. A batch where nothing has finished yet is never cut (it is slow everywhere, not stuck on one).
 * Elapsed time is measured on a monotonic clock ({@code System.nanoTime}), not the business clock.
 */
final class StragglerWatch {

    private final Duration grace;
    private final LongSupplier nanoTime;
    private final AtomicInteger waiting;
    private final AtomicLong lastFinished = new AtomicLong();
    private volatile boolean anyFinished;
    private final Map<CutOff, Long> inFlight = new ConcurrentHashMap<>();

    /** @param grace zero switches cutting off */
    StragglerWatch(int tasks, Duration grace) {
        this(tasks, grace, System::nanoTime);
    }

    StragglerWatch(int tasks, Duration grace, LongSupplier nanoTime) {
        this.grace = grace;
        this.nanoTime = nanoTime;
        this.waiting = new AtomicInteger(tasks);
    }

    /** A task's step starts now; the attempt it makes may be cut off through the returned handle. */
    CutOff started() {
        CutOff cutOff = new CutOff();
        inFlight.put(cutOff, nanoTime.getAsLong());
        waiting.decrementAndGet();
        return cutOff;
    }

    void finished(CutOff cutOff) {
        if (inFlight.remove(cutOff) != null) {
            lastFinished.set(nanoTime.getAsLong());
            anyFinished = true;
        }
    }

    /** Cuts off the attempts that are stragglers at {@code now}; returns how many. */
    int cutStragglers() {
        long now = nanoTime.getAsLong();
        if (grace.isZero() || waiting.get() > 0 || !anyFinished || withinGrace(lastFinished.get(), now)) {
            return 0;
        }
        int cut = 0;
        for (Map.Entry<CutOff, Long> attempt : inFlight.entrySet()) {
            if (!withinGrace(attempt.getValue(), now) && inFlight.remove(attempt.getKey()) != null) {
                attempt.getKey().cut("the rest of its batch was done and it had no answer after the straggler grace"
                        + " of " + grace.toMillis() + " ms (" + SenderConfig.STRAGGLER_GRACE + "); retried from the"
                        + " queue");
                cut++;
            }
        }
        return cut;
    }

    /** True while less than the grace has passed since {@code since}. */
    private boolean withinGrace(long sinceNanos, long nowNanos) {
        return nowNanos - sinceNanos < grace.toNanos();
    }
}
