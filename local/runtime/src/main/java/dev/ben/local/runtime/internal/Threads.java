package dev.ben.local.runtime.internal;

import java.time.Duration;
import java.util.List;

/** Joining the runtime's own threads on stop. */
final class Threads {
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    private Threads() {
    }

    static void join(List<Thread> threads, RuntimeLog log, String component) {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        for (Thread thread : threads) {
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                if (!thread.join(Duration.ofMillis(left))) {
                    log.warn(component, "thread " + thread.getName() + " did not stop within " + JOIN_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
