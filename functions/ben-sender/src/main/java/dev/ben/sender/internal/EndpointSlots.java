package dev.ben.sender.internal;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The per-endpoint concurrency cap inside one invocation: at most {@code perEndpoint} attempts to one endpoint at
 * once, so deliveries to a slow endpoint cannot take every parallel slot of the batch. Across invocations the cap is
 * this times the number of concurrent invocations (a documented approximation: a shared counter would cost two
 * DynamoDB writes per delivery).
 */
public final class EndpointSlots {

    private final int perEndpoint;
    private final ConcurrentHashMap<String, Semaphore> slots = new ConcurrentHashMap<>();

    public EndpointSlots(int perEndpoint) {
        if (perEndpoint < 1) {
            throw new IllegalArgumentException("per-endpoint concurrency must be >= 1, got " + perEndpoint);
        }
        this.perEndpoint = perEndpoint;
    }

    public int perEndpoint() {
        return perEndpoint;
    }

    /** Waits at most {@code wait} for a slot; false when none freed up in time. */
    public boolean acquire(String endpointId, Duration wait) {
        Semaphore s = slots.computeIfAbsent(endpointId, k -> new Semaphore(perEndpoint));
        try {
            return s.tryAcquire(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void release(String endpointId) {
        slots.get(endpointId).release();
    }
}
