package dev.ben.sender.internal;

import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * sweeper: live deliveries (PENDING, RETRYING) whose next attempt is overdue by more than a grace period have lost
 * their queue message (crash before/after the POST, failed enqueue, message expired). Each is taken over with a
 * conditional write that gives it a new queue token (so a late original message is recognised as stale) and is
 * re-enqueued. Bounded per run, paginated; running twice is harmless.
 */
public final class SweeperService {

    private static final int PAGE = 100;

    private final DeliveryStore deliveries;
    private final RetryQueue queue;
    private final Clock clock;
    private final Duration grace;
    private final int maxPerRun;
    private final Telemetry telemetry;

    public SweeperService(DeliveryStore deliveries, RetryQueue queue, Clock clock, Duration grace, int maxPerRun,
                          Telemetry telemetry) {
        this.deliveries = deliveries;
        this.queue = queue;
        this.clock = clock;
        this.grace = grace;
        this.maxPerRun = maxPerRun;
        this.telemetry = telemetry;
    }

    /** Runs one sweep; returns a summary (found, reenqueued, skipped, errors, pages, limited). */
    public Map<String, Object> sweep() {
        Instant now = clock.instant();
        Instant dueBefore = now.minus(grace);
        int found = 0;
        int reenqueued = 0;
        int skipped = 0;
        int errors = 0;
        int pages = 0;
        boolean limited = false;
        for (DeliveryStatus status : List.of(DeliveryStatus.PENDING, DeliveryStatus.RETRYING)) {
            Map<String, String> cursor = Map.of();
            do {
                if (found >= maxPerRun) {
                    limited = true;
                    break;
                }
                var page = deliveries.overdue(status, dueBefore, Math.min(PAGE, maxPerRun - found), cursor);
                pages++;
                for (StoredDelivery stored : page.items()) {
                    found++;
                    String token = "s" + now.toEpochMilli() + "-" + Integer.toHexString(stored.id().hashCode());
                    Delivery d = stored.delivery();
                    Delivery next = d.withStatus(d.status(), d.attempts(), now, d.lastStatusCode(), d.lastError(), now);
                    try {
                        if (!deliveries.transition(stored, next, token)) {
                            skipped++; // moved on since the query: not lost
                            continue;
                        }
                        queue.send(stored.id(), token, Duration.ZERO);
                        reenqueued++;
                        telemetry.info("delivery re-enqueued by the sweeper", Map.of("deliveryId", stored.id(),
                                "eventId", d.eventId(), "status", d.status().name(), "overdueSince",
                                String.valueOf(d.nextAttemptAt())));
                    } catch (RuntimeException e) {
                        // nextAttemptAt may now be `now`: the delivery stays overdue and the next run retries it
                        errors++;
                        telemetry.error("sweeper could not re-enqueue", Map.of("deliveryId", stored.id(),
                                "error", String.valueOf(e.getMessage())));
                    }
                }
                cursor = page.next();
            } while (!cursor.isEmpty());
        }
        telemetry.metric("sweptReenqueued", reenqueued);
        telemetry.metric("sweptErrors", errors);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("found", found);
        summary.put("reenqueued", reenqueued);
        summary.put("skipped", skipped);
        summary.put("errors", errors);
        summary.put("pages", pages);
        summary.put("limited", limited);
        summary.put("dueBefore", dueBefore.toString());
        return summary;
    }
}
