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
 * re-enqueued. Then parked deliveries whose endpoint can take them again are released ({@link ParkedRelease}).
 * Bounded per run, paginated; running twice is harmless.
 */
public final class SweeperService {

    private static final int PAGE = 100;
    private static final List<DeliveryStatus> LIVE = List.of(DeliveryStatus.PENDING, DeliveryStatus.RETRYING);

    private final DeliveryStore deliveries;
    private final RetryQueue queue;
    private final Clock clock;
    private final Duration grace;
    private final int maxPerRun;
    private final Telemetry telemetry;
    private final ParkedRelease parked;

    /**
     * @param maxPerRun deliveries taken over per run; the release of parked ones has a budget of its own
     */
    public SweeperService(DeliveryStore deliveries, RetryQueue queue, Clock clock, Duration grace, int maxPerRun,
                          Telemetry telemetry, ParkedRelease parked) {
        this.parked = parked;
        this.deliveries = deliveries;
        this.queue = queue;
        this.clock = clock;
        this.grace = grace;
        this.maxPerRun = maxPerRun;
        this.telemetry = telemetry;
    }

    /**
     * Runs one sweep; returns a summary (found, reenqueued, skipped, errors, pages, limited, and the release's
     * {@code parked…} fields). PENDING and RETRYING are read a page each in turn, so a backlog of one never starves
     * the other of the run's budget.
     */
    public Map<String, Object> sweep() {
        Instant now = clock.instant();
        Sweep run = new Sweep(now, now.minus(grace));
        Map<DeliveryStatus, Map<String, String>> cursors = new LinkedHashMap<>();
        LIVE.forEach(status -> cursors.put(status, Map.of()));
        while (!cursors.isEmpty() && run.found < maxPerRun) {
            for (DeliveryStatus status : List.copyOf(cursors.keySet())) {
                if (run.found >= maxPerRun) {
                    break;
                }
                var page = deliveries.overdue(status, run.dueBefore, Math.min(PAGE, maxPerRun - run.found),
                        cursors.get(status));
                run.pages++;
                page.items().forEach(stored -> takeOver(stored, run));
                if (page.next().isEmpty()) {
                    cursors.remove(status);
                } else {
                    cursors.put(status, page.next());
                }
            }
        }
        telemetry.metric("sweptReenqueued", run.reenqueued);
        telemetry.metric("sweptErrors", run.errors);
        Map<String, Object> summary = run.summary(!cursors.isEmpty());
        summary.putAll(parked.release(now));
        return summary;
    }

    /**
     * Gives the delivery a new queue token (so a late original message is recognised as stale) and enqueues it. The
     * conditional write fails when the delivery moved on since it was read: it was not lost.
     */
    private void takeOver(StoredDelivery stored, Sweep run) {
        run.found++;
        Instant now = run.now;
        String token = "s" + now.toEpochMilli() + "-" + Integer.toHexString(stored.id().hashCode());
        Delivery d = stored.delivery();
        Delivery next = d.withStatus(d.status(), d.attempts(), now, d.lastStatusCode(), d.lastError(), now);
        try {
            if (!deliveries.transition(stored, next, token)) {
                run.skipped++;
                return;
            }
            queue.send(stored.id(), token, Duration.ZERO);
            run.reenqueued++;
            telemetry.info("delivery re-enqueued by the sweeper", Map.of("deliveryId", stored.id(),
                    "eventId", d.eventId(), "status", d.status().name(), "overdueSince",
                    String.valueOf(d.nextAttemptAt())));
        } catch (RuntimeException e) {
            // nextAttemptAt may now be `now`: the delivery stays overdue and the next run retries it
            run.errors++;
            telemetry.error("sweeper could not re-enqueue", Map.of("deliveryId", stored.id(),
                    "error", String.valueOf(e.getMessage())));
        }
    }

    /** One run's counters. */
    private static final class Sweep {
        final Instant now;
        final Instant dueBefore;
        int found;
        int reenqueued;
        int skipped;
        int errors;
        int pages;

        Sweep(Instant now, Instant dueBefore) {
            this.now = now;
            this.dueBefore = dueBefore;
        }

        Map<String, Object> summary(boolean limited) {
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
}
